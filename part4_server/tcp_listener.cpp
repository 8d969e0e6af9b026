// tcp_listener.cpp: socket, bind, listen, and accept4 as an awaitable.
#include "tcp_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cerrno>
#include <stdexcept>

namespace coro {

namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void enable(int fd, int option, const char* what) {
    int on = 1;
    if (::setsockopt(fd, SOL_SOCKET, option, &on, sizeof on) < 0) {
        throw_errno(what);
    }
}

} // namespace

tcp_listener::tcp_listener(event_loop& loop, const std::string& host, std::uint16_t port,
                           listen_options options) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        throw std::invalid_argument("not an IPv4 address: " + host);
    }
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        throw_errno("socket");
    }
    // Restarting the server must not wait for old connections in TIME_WAIT to expire.
    enable(fd.get(), SO_REUSEADDR, "setsockopt(SO_REUSEADDR)");
    if (options.reuse_port) {
        enable(fd.get(), SO_REUSEPORT, "setsockopt(SO_REUSEPORT)");
    }
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0) {
        throw_errno("bind");
    }
    if (::listen(fd.get(), options.backlog) < 0) {
        throw_errno("listen");
    }
    state_ = &loop.add(fd.get());
    fd.release();
}

tcp_listener& tcp_listener::operator=(tcp_listener&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
}

void tcp_listener::close() noexcept {
    if (state_ != nullptr) {
        state_->loop->close_state(*std::exchange(state_, nullptr));
    }
}

tcp_listener::accept_awaiter tcp_listener::accept() {
    if (state_ == nullptr) {
        throw std::logic_error("tcp_listener: accept() on a closed listener");
    }
    return accept_awaiter(*state_);
}

std::uint16_t tcp_listener::port() const {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    if (state_ == nullptr || ::getsockname(state_->fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
        throw_errno("getsockname");
    }
    return ntohs(address.sin_port);
}

bool tcp_listener::accept_awaiter::attempt_accept(io_op& op) noexcept {
    auto& self = static_cast<accept_awaiter&>(op);
    for (;;) {
        int fd = ::accept4(self.state_->fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            self.result_ = fd;
            return true;
        }
        switch (errno) {
        case EAGAIN:
            self.state_->readable = false;
            return false;
        // The connection died in the backlog, or a network error of that connection: not ours, try the
        // next one (accept(2), "Error handling").
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case ENONET:
        case EHOSTUNREACH:
        case ENETUNREACH:
            continue;
        default:
            self.result_ = -errno;
            return true;
        }
    }
}

tcp_stream tcp_listener::accept_awaiter::await_resume() {
    throw_if_cancelled("accept");
    if (result_ < 0) {
        throw std::system_error(-result_, std::generic_category(), "accept4");
    }
    return tcp_stream(*state_->loop, unique_fd(result_));
}

} // namespace coro
