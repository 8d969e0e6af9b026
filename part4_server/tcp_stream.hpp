// tcp_stream.hpp: one connected TCP socket and its three awaitables: read_some, write_all, connect.
#pragma once

#include "event_loop.hpp"
#include "io_awaiter.hpp"
#include "task.hpp"
#include "unique_fd.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace coro {

class tcp_stream {
public:
    class read_awaiter;
    class write_awaiter;

    tcp_stream() = default;
    // Registers fd with the loop (once, for its whole life).
    tcp_stream(event_loop& loop, unique_fd fd);
    tcp_stream(tcp_stream&& other) noexcept
        : state_(std::exchange(other.state_, nullptr)), timeout_(other.timeout_) {}
    tcp_stream& operator=(tcp_stream&& other) noexcept;
    ~tcp_stream() { close(); }

    static task<tcp_stream> connect(event_loop& loop, std::string host, std::uint16_t port);

    // Waits until bytes arrive and reads them into the loop's shared buffer. The returned view is valid
    // until this coroutine next suspends: use it (or copy it) before the next co_await. write_all() is the
    // one exception: it copies what it cannot send at once before it suspends. Empty view: the peer closed.
    read_awaiter read_some();
    // The same into the caller's buffer; returns the filled prefix of `buffer` (empty: the peer closed).
    read_awaiter read_some(std::span<std::byte> buffer);
    // Sends every byte. Throws std::system_error (e.g. ECONNRESET, EPIPE) if the peer is gone.
    write_awaiter write_all(std::span<const std::byte> bytes);
    // From now on, a read_some or write_all that waits longer than `limit` fails with
    // std::system_error(std::errc::timed_out). Zero (the default): wait as long as it takes. It costs a
    // timer only while an operation actually waits.
    void set_timeout(clock::duration limit) noexcept { timeout_ = limit; }
    // Sends FIN: the peer reads end-of-stream after the bytes already sent.
    void shutdown_write();
    // Cancels a waiting operation of another coroutine (operation_canceled), then closes the socket.
    void close() noexcept;

    int native_handle() const noexcept { return state_ != nullptr ? state_->fd : -1; }
    explicit operator bool() const noexcept { return state_ != nullptr; }

private:
    io_state& state() const;
    io_state* state_ = nullptr; // owned: handed back to the loop by close()
    clock::duration timeout_{};
};

class tcp_stream::read_awaiter : public io_awaiter {
public:
    read_awaiter(io_state& state, std::span<std::byte> buffer, clock::duration timeout) noexcept
        : io_awaiter(state, direction::read, &attempt_read, timeout), buffer_(buffer) {}
    std::span<std::byte> await_resume() const;

private:
    static bool attempt_read(io_op& op) noexcept;
    std::span<std::byte> buffer_;
    long result_ = 0; // bytes read, or -errno
};

class tcp_stream::write_awaiter : public io_awaiter {
public:
    write_awaiter(io_state& state, std::span<const std::byte> bytes, clock::duration timeout) noexcept
        : io_awaiter(state, direction::write, &attempt_write, timeout), rest_(bytes) {}
    void await_suspend(std::coroutine_handle<> me);
    void await_resume() const;

private:
    static bool attempt_write(io_op& op) noexcept;
    std::span<const std::byte> rest_;
    std::unique_ptr<std::byte[]> unsent_; // only while a slow peer makes us wait
    int error_ = 0;
};

} // namespace coro
