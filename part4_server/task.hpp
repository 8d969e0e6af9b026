// task.hpp: a lazy coroutine that produces one T (or an exception) for the coroutine that awaits it.
//
// Carried forward from Part 2 (docs/part2_coroutines.md), where every line is explained:
// - lazy: the body starts only when awaited, so the awaiter has stored its continuation before the body can
//   finish; an eager task would have to synchronise "finished first" against "awaited first".
// - symmetric transfer: await_suspend and final_suspend *return* the next coroutine to run instead of
//   calling resume(). The compiler turns that into a tail call, so a chain of a million awaits that complete
//   synchronously does not grow the stack. GCC only emits that tail call with -foptimize-sibling-calls and
//   without ASan's use-after-scope or UBSan's null/alignment checks: part4_server/meson.build handles it.
// - exceptions thrown in the body are stored and rethrown in the awaiter.
#pragma once

#include <coroutine>
#include <cstddef>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>
#include <variant>

namespace coro {

template <typename T = void>
class task;

namespace detail {

// Frames are counted per thread so a test can prove that shutdown destroyed every coroutine, and their
// bytes are summed so a test (and the article) can print what a connection's coroutines cost.
inline thread_local std::size_t live_frames = 0;
inline thread_local std::size_t live_frame_bytes = 0;

struct counted_frame {
    static void* operator new(std::size_t size) {
        void* frame = ::operator new(size);
        ++live_frames;
        live_frame_bytes += size;
        return frame;
    }
    static void operator delete(void* frame, std::size_t size) noexcept {
        --live_frames;
        live_frame_bytes -= size;
        ::operator delete(frame); // not the sized form: clang declares it only with -fsized-deallocation
    }
};

// snippet-begin: promise_base
struct promise_base : counted_frame {
    std::coroutine_handle<> continuation_ = std::noop_coroutine();

    std::suspend_always initial_suspend() noexcept { return {}; }

    struct final_awaiter {
        bool await_ready() const noexcept { return false; }
        template <typename Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
            return self.promise().continuation_;
        }
        void await_resume() const noexcept {}
    };
    final_awaiter final_suspend() noexcept { return {}; }
};
// snippet-end: promise_base

template <typename T>
struct promise final : promise_base {
    // One slot for "not finished", the value, or the exception: a T need not be default-constructible.
    std::variant<std::monostate, T, std::exception_ptr> result_;

    task<T> get_return_object() noexcept;
    template <typename U = T>
    requires std::is_convertible_v<U&&, T>
    void return_value(U&& value) { result_.template emplace<1>(std::forward<U>(value)); }
    void unhandled_exception() noexcept { result_.template emplace<2>(std::current_exception()); }
    T take_result() {
        if (result_.index() == 2) {
            std::rethrow_exception(std::get<2>(result_));
        }
        return std::move(std::get<1>(result_));
    }
};

template <>
struct promise<void> final : promise_base {
    std::exception_ptr error_;

    task<void> get_return_object() noexcept;
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error_ = std::current_exception(); }
    void take_result() {
        if (error_) {
            std::rethrow_exception(error_);
        }
    }
};

} // namespace detail

// Number of coroutine frames (tasks and spawned roots) alive on this thread.
inline std::size_t live_coroutine_frames() noexcept {
    return detail::live_frames;
}
// Bytes of all coroutine frames alive on this thread.
inline std::size_t live_coroutine_frame_bytes() noexcept {
    return detail::live_frame_bytes;
}

template <typename T>
class [[nodiscard]] task {
public:
    using promise_type = detail::promise<T>;
    using handle_type = std::coroutine_handle<promise_type>;

    task() = default;
    explicit task(handle_type handle) noexcept : handle_(handle) {}
    task(task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    task& operator=(task&& other) noexcept {
        if (this != &other) {
            destroy();
            handle_ = std::exchange(other.handle_, {});
        }
        return *this;
    }
    ~task() { destroy(); }

    // snippet-begin: task_awaiter
    struct awaiter {
        handle_type callee_;
        bool await_ready() const noexcept { return false; }
        // Symmetric transfer: start the callee by returning its handle, not by calling resume().
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
            callee_.promise().continuation_ = caller;
            return callee_;
        }
        T await_resume() { return callee_.promise().take_result(); }
    };
    // The task must outlive the co_await; `co_await make_task()` (a temporary) does.
    awaiter operator co_await() const noexcept { return awaiter{handle_}; }
    // snippet-end: task_awaiter

    handle_type handle() const noexcept { return handle_; }

private:
    void destroy() noexcept {
        if (handle_) {
            handle_.destroy();
        }
    }
    handle_type handle_;
};

namespace detail {
template <typename T>
task<T> promise<T>::get_return_object() noexcept {
    return task<T>{std::coroutine_handle<promise<T>>::from_promise(*this)};
}
inline task<void> promise<void>::get_return_object() noexcept {
    return task<void>{std::coroutine_handle<promise<void>>::from_promise(*this)};
}
} // namespace detail

} // namespace coro
