#include "fiber.hpp"

#include <cstdlib>
#include <exception>
#include <utility>

// AddressSanitizer keeps shadow memory per stack. When we swap stacks behind its back it believes the
// thread's stack pointer jumped somewhere wild, and reports false errors (typically when an exception
// unwinds). These hooks tell it which stack we are about to run on; they compile to nothing without ASan.
#if defined(CORO_TCP_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

namespace {
void asan_start_switch([[maybe_unused]] void** fake_stack, [[maybe_unused]] const void* bottom,
                       [[maybe_unused]] std::size_t size) {
#if defined(CORO_TCP_ASAN)
    __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#endif
}
void asan_finish_switch([[maybe_unused]] void* fake_stack, [[maybe_unused]] const void** old_bottom,
                        [[maybe_unused]] std::size_t* old_size) {
#if defined(CORO_TCP_ASAN)
    __sanitizer_finish_switch_fiber(fake_stack, old_bottom, old_size);
#endif
}
} // namespace

fiber::fiber(std::function<void(fiber&)> body, std::size_t stack_size)
    : stack_(stack_size), body_(std::move(body)) {
    make_context(body_context_, stack_.base(), stack_.size(), &fiber::entry, this);
}

// snippet-begin: cancel
fiber::~fiber() {
    if (started_ && !done_) {
        // Unwind the suspended body so the destructors of its locals run: suspend() throws fiber_cancelled.
        cancelling_ = true;
        switch_into_body();
        if (!done_) {
            std::terminate(); // the body swallowed fiber_cancelled and suspended again: its stack is in use
        }
    }
}
// snippet-end: cancel

// snippet-begin: resume
bool fiber::resume() {
    if (done_) {
        return false;
    }
    started_ = true;
    switch_into_body();
    if (exception_) {
        std::rethrow_exception(std::exchange(exception_, {}));
    }
    return !done_;
}

void fiber::suspend() {
    switch_out_of_body(false);
    if (cancelling_) {
        throw fiber_cancelled{};
    }
}

void fiber::entry(void* self_ptr) {
    auto& self = *static_cast<fiber*>(self_ptr);
    asan_finish_switch(nullptr, &self.caller_stack_bottom_, &self.caller_stack_size_);
    try {
        self.body_(self);
    } catch (const fiber_cancelled&) {
        // The destructor asked for this unwinding; there is nobody to report it to.
    } catch (...) {
        self.exception_ = std::current_exception(); // rethrown by resume(), in the caller
    }
    self.done_ = true;
    self.switch_out_of_body(true);
    std::abort(); // unreachable: nobody switches back into a finished fiber
}
// snippet-end: resume

void fiber::switch_into_body() {
    void* fake_stack = nullptr;
    asan_start_switch(&fake_stack, stack_.base(), stack_.size());
    switch_context(caller_context_, body_context_);
    asan_finish_switch(fake_stack, nullptr, nullptr);
}

void fiber::switch_out_of_body(bool for_the_last_time) {
    // A null fake-stack slot tells ASan this stack is finished and its fake frames can be freed.
    asan_start_switch(for_the_last_time ? nullptr : &asan_fake_stack_, caller_stack_bottom_,
                      caller_stack_size_);
    switch_context(body_context_, caller_context_);
    asan_finish_switch(asan_fake_stack_, &caller_stack_bottom_, &caller_stack_size_);
}
