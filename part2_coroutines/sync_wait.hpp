// sync_wait.hpp: the bridge from ordinary code into coroutines. Blocks the calling thread until a task has
// finished, then returns its value or rethrows its exception.
//
// The task may finish on this thread (everything in this chapter does) or be resumed by another thread;
// either way the waiting thread sleeps on an atomic flag until the wrapper coroutine's final_suspend sets it.
#pragma once

#include "task.hpp"

#include <atomic>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace detail {

// A tiny coroutine that awaits the user's task and signals a flag when done. It is started eagerly by
// sync_wait and suspends at the end so sync_wait, not the coroutine, destroys the frame.
class sync_wait_task {
public:
    struct promise_type {
        std::atomic<bool> done_{false};
        std::exception_ptr exception_;

        sync_wait_task get_return_object() noexcept {
            return sync_wait_task{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() noexcept { return false; }
            void await_suspend(std::coroutine_handle<promise_type> h) noexcept {
                h.promise().done_.store(true, std::memory_order_release);
                h.promise().done_.notify_one();
            }
            void await_resume() noexcept {}
        };
        final_awaiter final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { exception_ = std::current_exception(); }
    };

    explicit sync_wait_task(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}
    sync_wait_task(sync_wait_task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    sync_wait_task(const sync_wait_task&) = delete;
    sync_wait_task& operator=(const sync_wait_task&) = delete;
    sync_wait_task& operator=(sync_wait_task&&) = delete;
    ~sync_wait_task() {
        if (handle_) {
            handle_.destroy();
        }
    }

    void run_and_wait() {
        handle_.resume();
        handle_.promise().done_.wait(false, std::memory_order_acquire);
        if (handle_.promise().exception_) {
            std::rethrow_exception(handle_.promise().exception_);
        }
    }

private:
    std::coroutine_handle<promise_type> handle_;
};

} // namespace detail

// snippet-begin: sync_wait
template <typename T>
T sync_wait(task<T> t) {
    if constexpr (std::is_void_v<T>) {
        auto waiter = [](task<T> inner) -> detail::sync_wait_task { co_await std::move(inner); };
        waiter(std::move(t)).run_and_wait();
    } else {
        std::optional<T> result;
        auto waiter = [](task<T> inner, std::optional<T>& out) -> detail::sync_wait_task {
            out.emplace(co_await std::move(inner));
        };
        waiter(std::move(t), result).run_and_wait();
        return std::move(*result);
    }
}
// snippet-end: sync_wait
