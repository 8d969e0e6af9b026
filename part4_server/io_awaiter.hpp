// io_awaiter.hpp: "try first, then wait", shared by accept, connect, read and write.
//
//   co_await op  ==  if (!op.await_ready()) { op.await_suspend(me); <return to the loop> }  op.await_resume()
//
// await_ready() does the syscall when the socket might be ready; only "would block" suspends. The loop
// retries the same syscall (op.attempt) when an epoll edge arrives and resumes the coroutine when it is done.
#pragma once

#include "event_loop.hpp"
#include "io_state.hpp"

#include <coroutine>
#include <cstdint>
#include <stdexcept>
#include <system_error>

namespace coro {

class io_awaiter : public io_op {
public:
    enum class direction : bool { read, write };

    // snippet-begin: try_first
    bool await_ready() {
        if (slot_for_direction() != nullptr) {
            // Two waiting readers (or writers) could not both be resumed by one edge: refuse loudly.
            throw std::logic_error(dir_ == direction::read
                                       ? "two coroutines wait to read the same socket at once"
                                       : "two coroutines wait to write the same socket at once");
        }
        if (state_->loop->stopping()) {
            cancelled = std::errc::operation_canceled;
            return true;
        }
        if (!might_be_ready()) {
            return false;
        }
        if (++state_->streak == max_streak) {
            // Fairness: a peer that always has data ready would keep this coroutine running forever and
            // starve every other connection. Wait one loop turn (await_suspend pokes the loop).
            return false;
        }
        return attempt(*this);
    }

    void await_suspend(std::coroutine_handle<> me) {
        if (timeout_ > clock::duration::zero()) { // the stream's timeout: the loop disarms it when we finish
            deadline = clock::now() + timeout_;
            fire = &on_timeout;
            state_->loop->add_timer(*this);
        }
        waiter = me;
        slot = &slot_for_direction();
        *slot = this;
        state_->streak = 0;
        if (might_be_ready()) { // we yielded for fairness: retry at the next turn, no epoll edge will come
            state_->loop->poke(*state_);
        }
    }
    // snippet-end: try_first

    // Gives up waiting (used by with_timeout and shutdown); the coroutine resumes with a system_error(why).
    void cancel(std::errc why) noexcept {
        if (slot != nullptr) { // else it finished, or its socket was closed (state_ may be gone)
            state_->loop->cancel(*this, why);
        }
    }

protected:
    io_awaiter(io_state& state, direction dir, attempt_fn fn, clock::duration timeout = {}) noexcept
        : state_(&state), timeout_(timeout), dir_(dir) {
        attempt = fn;
    }

    void throw_if_cancelled(const char* what) const {
        if (cancelled != std::errc{}) {
            throw std::system_error(std::make_error_code(cancelled), what);
        }
    }

    io_state* state_;
    clock::duration timeout_;
    direction dir_;

private:
    static constexpr std::uint8_t max_streak = 64;
    bool might_be_ready() const noexcept {
        return dir_ == direction::read ? state_->readable : state_->writable;
    }
    io_op*& slot_for_direction() const noexcept {
        return dir_ == direction::read ? state_->reader : state_->writer;
    }
    static void on_timeout(timer_node& node, std::errc why) noexcept {
        static_cast<io_awaiter&>(static_cast<io_op&>(node)).cancel(why);
    }
};

} // namespace coro
