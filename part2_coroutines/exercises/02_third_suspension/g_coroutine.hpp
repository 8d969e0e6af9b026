// g_coroutine.hpp: the interface of exercise 02. g is frame_simulation's f with a third co_await. Implement
// run_g_hand_rolled in starter.cpp; do not change this file.
#pragma once

#include "frame_ops.hpp"
#include "real_coroutine.hpp"

#include <string>

// Suspends; when resumed, produces d - c.
struct op3 {
    trace& log_;
    int d_;
    int c_;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) {
        log_.push_back("op3 suspends with d=" + std::to_string(d_));
    }
    int await_resume() {
        log_.push_back("op3 resumes, c=" + std::to_string(c_));
        return d_ - c_;
    }
};

inline resumable g(trace& log, int a) {
    int b = 1;
    log.push_back("start: a=" + std::to_string(a) + " b=" + std::to_string(b));
    b = co_await op1{log, a, b};
    int c = 2;
    log.push_back("between: b=" + std::to_string(b) + " c=" + std::to_string(c));
    int d = co_await op2{log, b, c};
    log.push_back("then: d=" + std::to_string(d));
    int e = co_await op3{log, d, c};
    log.push_back("end: e=" + std::to_string(e));
}

struct hand_rolled_run {
    trace log;
    int resumes = 0; // resume() calls after the ramp until done()
};

// Runs the hand-rolled lowering of g(log, a) to the end (at most 10 resumes) and reports what it did.
hand_rolled_run run_g_hand_rolled(int a);
