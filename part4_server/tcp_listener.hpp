// tcp_listener.hpp: a listening socket registered with one loop; co_await accept() yields connections.
#pragma once

#include "event_loop.hpp"
#include "io_awaiter.hpp"
#include "tcp_stream.hpp"

#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace coro {

struct listen_options {
    // SO_REUSEPORT: several sockets (one per thread and loop) may bind the same port; the kernel spreads
    // incoming connections across them.
    bool reuse_port = false;
    int backlog = SOMAXCONN;
};

class tcp_listener {
public:
    class accept_awaiter;

    tcp_listener() = default;
    // Binds host:port (port 0: any free port) and registers with loop.
    tcp_listener(event_loop& loop, const std::string& host, std::uint16_t port, listen_options options = {});
    tcp_listener(tcp_listener&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
    tcp_listener& operator=(tcp_listener&& other) noexcept;
    ~tcp_listener() { close(); }

    // The next connection. Throws std::system_error: EMFILE/ENFILE when out of fds (the caller decides how
    // to back off), operation_canceled at shutdown.
    accept_awaiter accept();
    std::uint16_t port() const;
    void close() noexcept;

private:
    io_state* state_ = nullptr;
};

class tcp_listener::accept_awaiter : public io_awaiter {
public:
    explicit accept_awaiter(io_state& state) noexcept : io_awaiter(state, direction::read, &attempt_accept) {}
    tcp_stream await_resume();

private:
    static bool attempt_accept(io_op& op) noexcept;
    int result_ = -1; // the new fd, or -errno
};

} // namespace coro
