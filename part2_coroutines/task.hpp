// task.hpp: a lazy coroutine that produces one value (or void) for whoever co_awaits it.
//
// Lazy, because a task that starts before anyone awaits it races with its own awaiter: it may finish (and
// have nowhere to put its continuation) before the caller has had a chance to say "resume me when you are
// done". A lazy task does nothing until co_await, so the continuation is always known before the body runs.
//
// Symmetric transfer: await_suspend and final_suspend return the handle to run next instead of calling
// resume() on it. The compiler then jumps to that coroutine (a tail call) instead of nesting a call, so a
// million tasks that complete synchronously one after another use constant stack. That tail call is only
// guaranteed when the optimiser emits it: see part2_coroutines/meson.build and docs/part2_coroutines.md.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

template <typename T = void>
class task;

namespace detail {

// snippet-begin: promise_base
// What every task promise shares: who to resume when the body finishes, and the exception it threw.
class task_promise_base {
public:
    // The body does not run until someone awaits the task (see the top of the file).
    std::suspend_always initial_suspend() noexcept { return {}; }

    struct final_awaiter {
        bool await_ready() noexcept { return false; }
        // Jump to the awaiter instead of returning to whoever resumed us: this is symmetric transfer.
        template <typename Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
            return self.promise().continuation_;
        }
        void await_resume() noexcept {}
    };
    final_awaiter final_suspend() noexcept { return {}; }

    // The exception is kept and rethrown in the awaiter, which is the code that can handle it.
    void unhandled_exception() noexcept { exception_ = std::current_exception(); }

    void set_continuation(std::coroutine_handle<> c) noexcept { continuation_ = c; }

protected:
    void rethrow_if_failed() const {
        if (exception_) {
            std::rethrow_exception(exception_);
        }
    }

private:
    // A task that nobody awaits (sync_wait sets its own) returns to noop: "nobody to wake".
    std::coroutine_handle<> continuation_ = std::noop_coroutine();
    std::exception_ptr exception_;
};
// snippet-end: promise_base

template <typename T>
class task_promise : public task_promise_base {
public:
    task<T> get_return_object() noexcept;

    template <typename U = T>
    void return_value(U&& value) {
        value_.emplace(std::forward<U>(value));
    }

    // Moves the result out: a task is awaited once, so move-only results (unique_ptr) work.
    T take_result() {
        rethrow_if_failed();
        return std::move(*value_);
    }

private:
    std::optional<T> value_;
};

template <>
class task_promise<void> : public task_promise_base {
public:
    task<void> get_return_object() noexcept;
    void return_void() noexcept {}
    void take_result() { rethrow_if_failed(); }
};

} // namespace detail

// snippet-begin: task
template <typename T>
class [[nodiscard]] task {
public:
    using promise_type = detail::task_promise<T>;
    using handle_type = std::coroutine_handle<promise_type>;

    explicit task(handle_type h) noexcept : handle_(h) {}
    task(task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    task& operator=(task&& other) noexcept {
        if (this != &other) {
            destroy();
            handle_ = std::exchange(other.handle_, {});
        }
        return *this;
    }
    task(const task&) = delete;
    task& operator=(const task&) = delete;
    ~task() { destroy(); }

    // co_await on a task: remember who is waiting, then jump into the task's body.
    struct awaiter {
        handle_type handle_;
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
            handle_.promise().set_continuation(awaiting);
            return handle_; // symmetric transfer: start the task without nesting a call
        }
        T await_resume() { return handle_.promise().take_result(); }
    };
    // Only on an rvalue: a task runs once, so `co_await make_task()` or `co_await std::move(t)`.
    awaiter operator co_await() && noexcept { return awaiter{handle_}; }

    // For sync_wait and tests: the raw handle, still owned by this task.
    handle_type handle() const noexcept { return handle_; }

private:
    void destroy() noexcept {
        if (handle_) {
            handle_.destroy();
        }
    }
    handle_type handle_;
};
// snippet-end: task

namespace detail {
template <typename T>
task<T> task_promise<T>::get_return_object() noexcept {
    return task<T>{std::coroutine_handle<task_promise<T>>::from_promise(*this)};
}
inline task<void> task_promise<void>::get_return_object() noexcept {
    return task<void>{std::coroutine_handle<task_promise<void>>::from_promise(*this)};
}
} // namespace detail
