// timeout.hpp: co_await with_timeout(stream.read_some(), 30s) gives up on an I/O operation after a while.
//
// The timer costs nothing when the operation completes at once (no suspension, no timer); otherwise one
// heap insert and one heap removal. When it fires, the operation is cancelled and the coroutine resumes
// with std::system_error(std::errc::timed_out): distinct from operation_canceled (shutdown) and from real
// socket errors, so the caller can tell the three apart.
#pragma once

#include "event_loop.hpp"
#include "timer_heap.hpp"

#include <coroutine>
#include <system_error>
#include <utility>

namespace coro {

// Awaiter: any of the runtime's I/O awaiters (they have cancel(std::errc)).
template <typename Awaiter>
class timeout_awaiter : timer_node {
public:
    timeout_awaiter(Awaiter inner, clock::duration limit) : inner_(std::move(inner)), limit_(limit) {}

    bool await_ready() { return inner_.await_ready(); }
    void await_suspend(std::coroutine_handle<> me) {
        inner_.await_suspend(me);
        if (limit_ > clock::duration::zero()) {
            deadline = clock::now() + limit_;
            fire = &on_fire;
            event_loop::current().add_timer(*this);
        }
    }
    decltype(auto) await_resume() {
        if (queued()) {
            event_loop::current().remove_timer(*this);
        }
        return inner_.await_resume();
    }

private:
    static void on_fire(timer_node& node, std::errc why) noexcept {
        static_cast<timeout_awaiter&>(node).inner_.cancel(why);
    }

    Awaiter inner_;
    clock::duration limit_;
};

// limit <= 0 means no limit: the operation waits as long as it takes.
template <typename Awaiter>
timeout_awaiter<Awaiter> with_timeout(Awaiter inner, clock::duration limit) {
    return timeout_awaiter<Awaiter>(std::move(inner), limit);
}

} // namespace coro
