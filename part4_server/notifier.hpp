// notifier.hpp: one coroutine waits until another part of the program says "something changed".
// Built as an io_state without an fd, so it needs no new loop machinery: notify() plays the epoll edge, and
// shutdown cancels a waiting coroutine like any other reader.
#pragma once

#include "event_loop.hpp"
#include "io_awaiter.hpp"

namespace coro {

class notifier {
public:
    explicit notifier(event_loop& loop) : state_(&loop.add(-1)) {}
    notifier(const notifier&) = delete;
    notifier& operator=(const notifier&) = delete;
    ~notifier() { state_->loop->close_state(*state_); }

    class wait_awaiter : public io_awaiter {
    public:
        explicit wait_awaiter(io_state& state) noexcept : io_awaiter(state, direction::read, &consume) {}
        void await_resume() const { throw_if_cancelled("notifier::wait"); }

    private:
        static bool consume(io_op& op) noexcept {
            static_cast<wait_awaiter&>(op).state_->readable = false;
            return true;
        }
    };

    // Completes at once if notify() was called since the last wait, otherwise at the next notify().
    wait_awaiter wait() noexcept { return wait_awaiter(*state_); }

    // Wakes the waiter at the loop's next turn (never inside the caller, which may be a destructor).
    void notify() {
        state_->readable = true;
        if (io_op* op = state_->reader; op != nullptr) {
            state_->loop->unpark(*op);
            op->attempt(*op);
            state_->loop->post(op->waiter);
        }
    }

private:
    io_state* state_;
};

} // namespace coro
