// real_coroutine.hpp: the coroutine frame_simulation lowers by hand, written as a real C++20 coroutine.
#pragma once

#include "frame_ops.hpp"

#include <coroutine>
#include <cstddef>
#include <new>
#include <string>
#include <utility>

// snippet-begin: resumable
// A bare handle owner for the demonstration: runs eagerly to the first suspension (like the hand-rolled
// ramp), and keeps the frame after the end so done() can be asked.
class resumable {
public:
    struct promise_type {
        static inline std::size_t last_frame_size = 0;

        // The compiler asks the promise for the frame's memory and says how big it must be: we record it.
        static void* operator new(std::size_t size) {
            last_frame_size = size;
            return ::operator new(size);
        }
        static void operator delete(void* p) noexcept { ::operator delete(p); }

        resumable get_return_object() {
            return resumable{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() { throw; }
    };

    explicit resumable(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}
    resumable(resumable&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    resumable& operator=(resumable&&) = delete;
    ~resumable() {
        if (handle_) {
            handle_.destroy();
        }
    }

    void resume() { handle_.resume(); }
    bool done() const { return handle_.done(); }
    void* frame_address() const { return handle_.address(); }

private:
    std::coroutine_handle<promise_type> handle_;
};
// snippet-end: resumable

// snippet-begin: coroutine
inline resumable f(trace& log, int a) {
    int b = 1;
    log.push_back("start: a=" + std::to_string(a) + " b=" + std::to_string(b));
    b = co_await op1{log, a, b};
    int c = 2;
    log.push_back("between: b=" + std::to_string(b) + " c=" + std::to_string(c));
    int d = co_await op2{log, b, c};
    log.push_back("end: d=" + std::to_string(d));
}
// snippet-end: coroutine
