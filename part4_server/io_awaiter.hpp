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
#include <stdexcept>
#include <system_error>

namespace coro {

class io_awaiter : public io_op {
public:
    enum class direction : bool { read, write };

    // snippet-begin: try_first
    bool await_ready() {
        if (slot() != nullptr) {
            // Two waiting readers (or writers) could not both be resumed by one edge: refuse loudly.
            throw std::logic_error(dir_ == direction::read
                                       ? "two coroutines wait to read the same socket at once"
                                       : "two coroutines wait to write the same socket at once");
        }
        if (state_->loop->stopping()) {
            cancelled = std::errc::operation_canceled;
            return true;
        }
        bool& might_be_ready = dir_ == direction::read ? state_->readable : state_->writable;
        return might_be_ready && attempt(*this);
    }

    void await_suspend(std::coroutine_handle<> me) noexcept {
        waiter = me;
        slot() = this;
    }
    // snippet-end: try_first

    // Gives up waiting (used by with_timeout and shutdown); the coroutine resumes with a system_error(why).
    void cancel(std::errc why) noexcept { state_->loop->cancel(slot(), *this, why); }

protected:
    io_awaiter(io_state& state, direction dir, attempt_fn fn) noexcept : state_(&state), dir_(dir) {
        attempt = fn;
    }

    void throw_if_cancelled(const char* what) const {
        if (cancelled != std::errc{}) {
            throw std::system_error(std::make_error_code(cancelled), what);
        }
    }

    io_state* state_;
    direction dir_;

private:
    io_op*& slot() const noexcept { return dir_ == direction::read ? state_->reader : state_->writer; }
};

} // namespace coro
