// Exercise 02: lower g (g_coroutine.hpp) by hand. The frame below is f's from hand_rolled_frame.hpp. See
// README.md.
#include "g_coroutine.hpp"

#include <memory>
#include <optional>

namespace {

struct g_frame {
    trace* log_ = nullptr;
    int a_ = 0;
    int b_ = 0;
    int c_ = 0;
    std::optional<op1> op1_;
    std::optional<op2> op2_;
    int index_ = 0;
    static constexpr int finished = 3;

    void resume() {
        segment next = segments_[index_];
        (this->*next)();
    }
    bool done() const { return index_ == finished; }

    void start() {
        b_ = 1;
        log_->push_back("start: a=" + std::to_string(a_) + " b=" + std::to_string(b_));
        op1_.emplace(op1{*log_, a_, b_});
        index_ = 1;
        op1_->await_suspend(std::noop_coroutine());
    }
    void after_op1() {
        b_ = op1_->await_resume();
        op1_.reset();
        c_ = 2;
        log_->push_back("between: b=" + std::to_string(b_) + " c=" + std::to_string(c_));
        op2_.emplace(op2{*log_, b_, c_});
        index_ = 2;
        op2_->await_suspend(std::noop_coroutine());
    }
    void after_op2() {
        // TODO(exercise): g does not end here. Log "then: d=...", suspend on op3, and add a fourth stretch.
        int d = op2_->await_resume();
        op2_.reset();
        log_->push_back("end: d=" + std::to_string(d));
        index_ = finished;
    }

    using segment = void (g_frame::*)();
    static constexpr segment segments_[] = {&g_frame::start, &g_frame::after_op1, &g_frame::after_op2};
};

} // namespace

hand_rolled_run run_g_hand_rolled(int a) {
    hand_rolled_run run;
    auto frame = std::make_unique<g_frame>();
    frame->log_ = &run.log;
    frame->a_ = a;
    frame->resume(); // the ramp's part
    while (!frame->done() && run.resumes < 10) {
        frame->resume();
        ++run.resumes;
    }
    return run;
}
