// Exercise 03, reference solution: when_all of two tasks.
#include "when_all.hpp"

#include <exception>
#include <optional>

namespace {

struct shared_state {
    // Two children plus the awaiter itself: whoever brings the count to zero resumes (or does not suspend)
    // the parent. The extra one covers children that finish before await_suspend has returned.
    int remaining = 3;
    std::coroutine_handle<> parent;
    std::optional<int> a;
    std::optional<std::string> b;
    std::exception_ptr error;
};

// A coroutine that runs one child task, then reports to the shared state. Started by hand (initial_suspend).
// The report happens in final_suspend, after the body has finished, and resumes the parent by symmetric
// transfer: the parent then destroys this frame, which is allowed only because it is suspended. (Resuming
// the parent from inside the body instead would let the parent free the frame we are still running in.)
class part_runner {
public:
    struct promise_type {
        shared_state* state_ = nullptr;

        part_runner get_return_object() {
            return part_runner{std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> self) noexcept {
                shared_state& state = *self.promise().state_;
                return --state.remaining == 0 ? state.parent : std::noop_coroutine();
            }
            void await_resume() noexcept {}
        };
        final_awaiter final_suspend() noexcept { return {}; }
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
    void start(shared_state& state) {
        handle_.promise().state_ = &state;
        handle_.resume();
    }

private:
    std::coroutine_handle<promise_type> handle_;
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
}

struct both_done {
    shared_state& state;
    part_runner& first;
    part_runner& second;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> parent) {
        state.parent = parent;
        first.start(state);
        second.start(state);
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
