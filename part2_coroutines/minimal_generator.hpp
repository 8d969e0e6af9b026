// minimal_generator.hpp: the smallest generator that works, to read before generator.hpp.
// No iterators, no exceptions, no ranges: next() runs the body to its next co_yield and says whether it got
// one.
#pragma once

#include <coroutine>
#include <utility>

// snippet-begin: minimal
template <typename T>
class minimal_generator {
public:
    struct promise_type {
        T current_{};
        minimal_generator get_return_object() {
            return minimal_generator{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; } // lazy: nothing runs before next()
        std::suspend_always final_suspend() noexcept { return {}; }   // keep the frame so done() works
        std::suspend_always yield_value(T value) noexcept {
            current_ = std::move(value);
            return {};
        }
        void return_void() noexcept {}
        void unhandled_exception() { throw; } // out of next(), to the consumer; generator.hpp stores it
    };

    explicit minimal_generator(std::coroutine_handle<promise_type> h) : handle_(h) {}
    minimal_generator(minimal_generator&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    minimal_generator& operator=(minimal_generator&&) = delete;
    ~minimal_generator() {
        if (handle_) {
            handle_.destroy(); // runs the destructors of whatever locals the body had alive
        }
    }

    bool next() {
        handle_.resume();
        return !handle_.done();
    }
    const T& value() const { return handle_.promise().current_; }

private:
    std::coroutine_handle<promise_type> handle_;
};
// snippet-end: minimal
