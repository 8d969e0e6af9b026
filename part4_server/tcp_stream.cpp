// tcp_stream.cpp: the syscalls behind read_some, write_all and connect, and the flag logic that keeps
// them to one syscall per message.
#include "tcp_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace coro {

namespace {

sockaddr_in make_address(const std::string& host, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        throw std::invalid_argument("not an IPv4 address: " + host);
    }
    return address;
}

} // namespace

tcp_stream::tcp_stream(event_loop& loop, unique_fd fd) : state_(&loop.add(fd.get())) {
    fd.release(); // the io_state owns the fd now; event_loop::close_state closes it
}

tcp_stream& tcp_stream::operator=(tcp_stream&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::exchange(other.state_, nullptr);
        timeout_ = other.timeout_;
    }
    return *this;
}

void tcp_stream::close() noexcept {
    if (state_ != nullptr) {
        state_->loop->close_state(*std::exchange(state_, nullptr));
    }
}

io_state& tcp_stream::state() const {
    if (state_ == nullptr) {
        throw std::logic_error("tcp_stream: the stream is closed");
    }
    return *state_;
}

tcp_stream::read_awaiter tcp_stream::read_some() {
    return {state(), state().loop->read_buffer(), timeout_};
}

tcp_stream::read_awaiter tcp_stream::read_some(std::span<std::byte> buffer) {
    return {state(), buffer, timeout_};
}

tcp_stream::write_awaiter tcp_stream::write_all(std::span<const std::byte> bytes) {
    return {state(), bytes, timeout_};
}

void tcp_stream::shutdown_write() {
    if (::shutdown(state().fd, SHUT_WR) < 0) {
        throw std::system_error(errno, std::generic_category(), "shutdown");
    }
}

// snippet-begin: attempt_read
bool tcp_stream::read_awaiter::attempt_read(io_op& op) noexcept {
    auto& self = static_cast<read_awaiter&>(op);
    for (;;) {
        ssize_t n = ::recv(self.state_->fd, self.buffer_.data(), self.buffer_.size(), 0);
        if (n > 0 && static_cast<std::size_t>(n) < self.buffer_.size() && !self.state_->peer_closed) {
            // A short read on a stream socket emptied the receive queue, and any byte that arrives later
            // raises a new epoll edge. So the next read can wait for that edge instead of spending a recv
            // on EAGAIN to learn what we already know. Not after EPOLLRDHUP: the FIN may sit behind the
            // bytes we just read, its edge already spent, and only the next recv (returning 0) reports it.
            self.state_->readable = false;
        }
        if (n >= 0) {
            self.result_ = n; // 0 = end of stream: the flag stays set, so reading again returns 0 at once
            return true;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            self.state_->readable = false;
            return false;
        }
        if (errno != EINTR) {
            self.result_ = -errno;
            return true;
        }
    }
}
// snippet-end: attempt_read

std::span<std::byte> tcp_stream::read_awaiter::await_resume() const {
    throw_if_cancelled("read_some");
    if (result_ < 0) {
        throw std::system_error(static_cast<int>(-result_), std::generic_category(), "recv");
    }
    return buffer_.first(static_cast<std::size_t>(result_));
}

// snippet-begin: attempt_write
bool tcp_stream::write_awaiter::attempt_write(io_op& op) noexcept {
    auto& self = static_cast<write_awaiter&>(op);
    while (!self.rest_.empty()) {
        ssize_t n = ::send(self.state_->fd, self.rest_.data(), self.rest_.size(), MSG_NOSIGNAL);
        if (n >= 0) {
            self.rest_ = self.rest_.subspan(static_cast<std::size_t>(n));
            if (!self.rest_.empty()) {
                // A short send filled the socket's send buffer: wait for the EPOLLOUT edge rather than
                // asking again and getting EAGAIN.
                self.state_->writable = false;
                return false;
            }
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            self.state_->writable = false;
            return false;
        } else if (errno != EINTR) {
            self.error_ = errno;
            return true;
        }
    }
    return true;
}
// snippet-end: attempt_write

// snippet-begin: write_suspend
void tcp_stream::write_awaiter::await_suspend(std::coroutine_handle<> me) {
    // The bytes may live in the loop's read buffer, which the next read of any connection overwrites:
    // keep our own copy of what is still unsent. Only a connection that waits for a slow peer pays for it.
    unsent_ = std::make_unique_for_overwrite<std::byte[]>(rest_.size());
    std::memcpy(unsent_.get(), rest_.data(), rest_.size());
    rest_ = {unsent_.get(), rest_.size()};
    io_awaiter::await_suspend(me);
}
// snippet-end: write_suspend

void tcp_stream::write_awaiter::await_resume() const {
    throw_if_cancelled("write_all");
    if (error_ != 0) {
        throw std::system_error(error_, std::generic_category(), "send");
    }
}

namespace {

// Waits for a non-blocking connect() to finish: the socket turns writable, SO_ERROR says how it went.
class connect_awaiter : public io_awaiter {
public:
    explicit connect_awaiter(io_state& state) noexcept
        : io_awaiter(state, direction::write, &attempt_connect) {
        state.writable = false; // "writable" would be a lie until the handshake is done
    }
    void await_resume() const {
        throw_if_cancelled("connect");
        if (error_ != 0) {
            throw std::system_error(error_, std::generic_category(), "connect");
        }
    }

private:
    static bool attempt_connect(io_op& op) noexcept {
        auto& self = static_cast<connect_awaiter&>(op);
        socklen_t length = sizeof self.error_;
        if (::getsockopt(self.state_->fd, SOL_SOCKET, SO_ERROR, &self.error_, &length) < 0) {
            self.error_ = errno;
        }
        return true;
    }
    int error_ = 0;
};

} // namespace

// host is taken by value: a coroutine keeps its parameters in its frame, and a reference would dangle if
// the caller's string died while we wait for the handshake.
task<tcp_stream> tcp_stream::connect(event_loop& loop, std::string host, std::uint16_t port) {
    sockaddr_in address = make_address(host, port);
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        throw std::system_error(errno, std::generic_category(), "socket");
    }
    tcp_stream stream(loop, std::move(fd));
    if (::connect(stream.native_handle(), reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0) {
        if (errno != EINPROGRESS) {
            throw std::system_error(errno, std::generic_category(), "connect");
        }
        co_await connect_awaiter(*stream.state_);
    }
    co_return stream;
}

} // namespace coro
