// Exercise 03, reference solution: when_all of two tasks.
#include "when_all.hpp"

#include <exception>
#include <optional>

namespace {

// A coroutine that runs one child task and reports to the shared state when it is done. Started by hand
// (initial_suspend), kept after the end (final_suspend) so its owner destroys it.
class part_runner {
public:
    struct promise_type {
        part_runner get_return_object() {
            return part_runner{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); } // the body catches everything itself
    };
    explicit part_runner(std::coroutine_handle<promise_type> h) : handle_(h) {}
    part_runner(part_runner&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    part_runner& operator=(part_runner&&) = delete;
    ~part_runner() {
        if (handle_) {
            handle_.destroy();
        }
    }
    void start() { handle_.resume(); }

private:
    std::coroutine_handle<promise_type> handle_;
};

struct shared_state {
    // Two children plus the awaiter itself: whoever brings the count to zero resumes (or does not suspend)
    // the parent. The extra one covers children that finish before await_suspend has returned.
    int remaining = 3;
    std::coroutine_handle<> parent;
    std::optional<int> a;
    std::optional<std::string> b;
    std::exception_ptr error;

    void one_done() {
        if (--remaining == 0) {
            parent.resume();
        }
    }
};

// Reference parameters in a coroutine are the CP.53 trap; here they are safe because out and state live in
// when_all's frame, which outlives both parts (they are its locals, destroyed before it).
template <typename T>
part_runner run_part(task<T> t, std::optional<T>& out, shared_state& state) {
    try {
        out.emplace(co_await std::move(t));
    } catch (...) {
        if (!state.error) {
            state.error = std::current_exception(); // rethrown by when_all once both parts are done
        }
    }
    state.one_done();
}

struct both_done {
    shared_state& state;
    part_runner& first;
    part_runner& second;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> parent) {
        state.parent = parent;
        first.start();
        second.start();
        return --state.remaining != 0; // false: both already finished, carry on without suspending
    }
    void await_resume() const noexcept {}
};

} // namespace

task<std::pair<int, std::string>> when_all(task<int> a, task<std::string> b) {
    shared_state state;
    part_runner first = run_part(std::move(a), state.a, state);
    part_runner second = run_part(std::move(b), state.b, state);
    co_await both_done{state, first, second};
    if (state.error) {
        std::rethrow_exception(state.error);
    }
    co_return std::pair<int, std::string>{std::move(*state.a), std::move(*state.b)};
}
