// fiber.hpp: a stackful coroutine. The body runs on its own stack, so it can suspend from any depth of
// ordinary function calls: suspend() saves the whole call chain in place, resume() continues it.
//
// Asymmetric, like a generator: resume() runs the body until it calls suspend() (or ends), then returns to
// the caller of resume(). Not movable, because the running body holds a reference to its fiber.
//
// Destroying a fiber that is suspended in the middle of its body unwinds that body: suspend() throws
// fiber_cancelled inside it, so every destructor on the fiber's stack runs. A body must therefore let
// fiber_cancelled pass (catch (...) in a body must rethrow).
#pragma once

#include "context_switch.hpp"
#include "fiber_stack.hpp"
#include "sanitizer.hpp"

#include <cstddef>
#include <exception>
#include <functional>

// Thrown inside a suspended body when its fiber is destroyed; do not catch it.
struct fiber_cancelled {};

// snippet-begin: fiber
class fiber {
public:
    // 64 KiB is plenty for the bodies in this chapter; sanitizers make stack frames several times larger.
#if defined(CORO_TCP_ASAN)
    static constexpr std::size_t default_stack_size = 512 * 1024;
#else
    static constexpr std::size_t default_stack_size = 64 * 1024;
#endif

    explicit fiber(std::function<void(fiber&)> body, std::size_t stack_size = default_stack_size);
    fiber(const fiber&) = delete;
    fiber& operator=(const fiber&) = delete;
    ~fiber();

    // Runs the body until it suspends or ends. Returns true if it suspended (can be resumed again).
    // An exception that escapes the body is rethrown here.
    bool resume();

    // Called from inside the body, at any call depth: back to whoever called resume().
    void suspend();

    bool done() const noexcept {
        return done_;
    }

private:
    static void entry(void* self);
    void switch_into_body();
    void switch_out_of_body(bool for_the_last_time);

    fiber_stack stack_;
    std::function<void(fiber&)> body_;
    machine_context body_context_;
    machine_context caller_context_;
    std::exception_ptr exception_;
    bool started_ = false;
    bool done_ = false;
    bool cancelling_ = false;
    // AddressSanitizer bookkeeping: it must be told about every switch between stacks (see fiber.cpp).
    void* asan_fake_stack_ = nullptr;
    const void* caller_stack_bottom_ = nullptr;
    std::size_t caller_stack_size_ = 0;
};
// snippet-end: fiber
