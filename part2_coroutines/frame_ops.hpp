// frame_ops.hpp: what frame_simulation's coroutine awaits, and the trace both versions of it write.
// The two operations always suspend, so every co_await is a real suspension point; each records when it
// suspends and when it is resumed, with the values it saw.
#pragma once

#include <coroutine>
#include <string>
#include <vector>

using trace = std::vector<std::string>;

// snippet-begin: ops
// Suspends; when resumed, produces a + b.
struct op1 {
    trace& log_;
    int a_;
    int b_;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) {
        log_.push_back("op1 suspends with a=" + std::to_string(a_));
    }
    int await_resume() {
        log_.push_back("op1 resumes, b=" + std::to_string(b_));
        return a_ + b_;
    }
};

// Suspends; when resumed, produces b * c.
struct op2 {
    trace& log_;
    int b_;
    int c_;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) {
        log_.push_back("op2 suspends with b=" + std::to_string(b_));
    }
    int await_resume() {
        log_.push_back("op2 resumes, c=" + std::to_string(c_));
        return b_ * c_;
    }
};
// snippet-end: ops
