// hand_rolled_frame.hpp: the coroutine f() of real_coroutine.hpp, lowered by hand into what a compiler makes
// of it: a frame struct, a ramp function, and one piece of code per stretch between two suspension points.
#pragma once

#include "frame_ops.hpp"

#include <coroutine>
#include <memory>
#include <optional>
#include <string>

// snippet-begin: frame
struct f_frame {
    // Parameters are copied into the frame: the caller's arguments are gone after the first suspension.
    trace* log_ = nullptr;
    int a_ = 0;
    // Locals that are alive across a suspension point. (d is used only after the last one: no member needed.)
    int b_ = 0;
    int c_ = 0;
    // The awaiter of the co_await in progress lives in the frame too, from await_suspend to await_resume.
    std::optional<op1> op1_;
    std::optional<op2> op2_;
    // Where to continue: the suspension point we stopped at. The compiler stores an index just like this.
    int index_ = 0;

    static constexpr int finished = 3;

    // What coroutine_handle::resume() does: jump to the stretch the index names.
    void resume() {
        segment next = segments_[index_];
        (this->*next)();
    }
    bool done() const { return index_ == finished; }

    // Stretch 0, run by the ramp: from the top of the body to the first co_await.
    void start() {
        b_ = 1;
        log_->push_back("start: a=" + std::to_string(a_) + " b=" + std::to_string(b_));
        op1_.emplace(op1{*log_, a_, b_});
        index_ = 1; // set before suspending: resume() must come back to after_op1
        // The real coroutine passes its own handle here; our frame has none, and op1 does not use it.
        op1_->await_suspend(std::noop_coroutine());
    }
    // Stretch 1: the rest of `b = co_await op1{...}` up to the second co_await.
    void after_op1() {
        b_ = op1_->await_resume();
        op1_.reset();
        c_ = 2;
        log_->push_back("between: b=" + std::to_string(b_) + " c=" + std::to_string(c_));
        op2_.emplace(op2{*log_, b_, c_});
        index_ = 2;
        op2_->await_suspend(std::noop_coroutine());
    }
    // Stretch 2: to the end of the body.
    void after_op2() {
        int d = op2_->await_resume();
        op2_.reset();
        log_->push_back("end: d=" + std::to_string(d));
        index_ = finished;
    }

    // One entry per suspension index (declared after the functions it names: they must be known here).
    using segment = void (f_frame::*)();
    static constexpr segment segments_[] = {&f_frame::start, &f_frame::after_op1, &f_frame::after_op2};
};

// The ramp: what a call to f(log, a) does. Allocate the frame, copy the parameters, run to the first
// suspension, hand the frame to the caller.
inline std::unique_ptr<f_frame> f_hand_rolled(trace& log, int a) {
    auto frame = std::make_unique<f_frame>();
    frame->log_ = &log;
    frame->a_ = a;
    frame->resume();
    return frame;
}
// snippet-end: frame
