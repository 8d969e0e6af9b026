// when_all.hpp: the interface of exercise 03. Implement when_all in starter.cpp; do not change this file.
#pragma once

#include "task.hpp"

#include <coroutine>
#include <string>
#include <utility>

// Starts both tasks, then waits until both have finished, in whatever order they finish. Returns both
// results, or rethrows the exception of the first task that failed (after both have finished).
task<std::pair<int, std::string>> when_all(task<int> a, task<std::string> b);

// An event a test fires by hand: co_await suspends until fire() is called.
class manual_event {
public:
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> waiter) noexcept { waiter_ = waiter; }
    void await_resume() const noexcept {}

    bool has_waiter() const noexcept { return static_cast<bool>(waiter_); }
    // Resumes the waiter; does nothing (returns false) if nobody is waiting, so a wrong solution fails
    // cleanly.
    bool fire() {
        if (!waiter_) {
            return false;
        }
        std::exchange(waiter_, {}).resume();
        return true;
    }

private:
    std::coroutine_handle<> waiter_;
};
