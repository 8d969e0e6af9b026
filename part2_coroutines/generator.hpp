// generator.hpp: a lazy sequence written as a coroutine body with co_yield, usable in range-for and with
// std::ranges views.
//
// Trade-offs, compared with minimal_generator.hpp: the iterator is an input iterator (one pass, like reading
// a stream), because advancing it resumes the one coroutine behind it. The generator owns its frame and is
// move-only: two owners would mean two destroy() calls. An exception thrown in the body is stored and
// rethrown in the consumer at the ++ (or begin()) that resumed the body, which is where the consumer expects
// failures.
#pragma once

#include <coroutine>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

template <typename T>
class generator {
public:
    // snippet-begin: promise
    struct promise_type {
        // Points at the yielded value, which lives in the suspended body's frame until the next resume.
        const T* current_ = nullptr;
        std::exception_ptr exception_;

        generator get_return_object() noexcept {
            return generator{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        std::suspend_always yield_value(const T& value) noexcept {
            current_ = std::addressof(value);
            return {};
        }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { exception_ = std::current_exception(); }
        // A generator body cannot co_await: there is nobody to resume it later.
        void await_transform() = delete;
    };
    // snippet-end: promise

    using handle_type = std::coroutine_handle<promise_type>;

    // snippet-begin: iterator
    class iterator {
    public:
        using iterator_concept = std::input_iterator_tag;
        using value_type = std::remove_cvref_t<T>;
        using difference_type = std::ptrdiff_t;

        iterator() noexcept = default;
        explicit iterator(handle_type h) noexcept : handle_(h) {}

        const T& operator*() const { return *handle_.promise().current_; }
        iterator& operator++() {
            resume_and_rethrow(handle_);
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
            return !it.handle_ || it.handle_.done();
        }

    private:
        handle_type handle_;
    };

    iterator begin() {
        resume_and_rethrow(handle_); // run to the first co_yield (or to the end of an empty body)
        return iterator{handle_};
    }
    std::default_sentinel_t end() const noexcept { return {}; }
    // snippet-end: iterator

    explicit generator(handle_type h) noexcept : handle_(h) {}
    generator(generator&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    generator& operator=(generator&& other) noexcept {
        if (this != &other) {
            destroy();
            handle_ = std::exchange(other.handle_, {});
        }
        return *this;
    }
    generator(const generator&) = delete;
    generator& operator=(const generator&) = delete;
    // Abandoning a generator early is normal (break out of the loop): destroy() then runs the destructors of
    // the locals alive at the co_yield where the body is suspended.
    ~generator() { destroy(); }

private:
    static void resume_and_rethrow(handle_type h) {
        h.resume();
        if (h.promise().exception_) {
            std::rethrow_exception(std::exchange(h.promise().exception_, {}));
        }
    }
    void destroy() noexcept {
        if (handle_) {
            handle_.destroy();
        }
    }
    handle_type handle_;
};
