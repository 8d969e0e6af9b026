// sleep.hpp: co_await sleep_for(duration) suspends the coroutine, not the thread.
#pragma once

#include "event_loop.hpp"
#include "timer_heap.hpp"

#include <chrono>
#include <coroutine>
#include <system_error>

namespace coro {

class sleep_awaiter : timer_node {
public:
    explicit sleep_awaiter(clock::duration duration) noexcept : duration_(duration) {}

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> me) {
        loop_ = &event_loop::current();
        waiter_ = me;
        if (loop_->stopping()) {
            why_ = std::errc::operation_canceled;
            loop_->post(me);
            return;
        }
        deadline = clock::now() + duration_;
        fire = &on_fire;
        loop_->add_timer(*this);
    }
    // Throws system_error(operation_canceled) when the loop shuts down during the sleep.
    void await_resume() const {
        if (why_ == std::errc::operation_canceled) {
            throw std::system_error(std::make_error_code(why_), "sleep_for");
        }
    }

private:
    static void on_fire(timer_node& node, std::errc why) noexcept {
        auto& self = static_cast<sleep_awaiter&>(node);
        self.why_ = why;
        self.loop_->post(self.waiter_);
    }

    clock::duration duration_;
    event_loop* loop_ = nullptr;
    std::coroutine_handle<> waiter_;
    std::errc why_{};
};

// Always suspends, even for zero: a loop of sleep_for(0s) lets the other coroutines run.
inline sleep_awaiter sleep_for(clock::duration duration) noexcept {
    return sleep_awaiter(duration);
}

} // namespace coro
