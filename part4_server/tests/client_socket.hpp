// client_socket.hpp: a plain blocking TCP client for tests, independent of the runtime under test.
// Every wait is bounded with poll(), so a broken server fails the test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>

namespace test {

class client_socket {
public:
    explicit client_socket(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        if (fd_ < 0) {
            throw std::system_error(errno, std::generic_category(), "socket");
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
            int error = errno;
            ::close(fd_);
            throw std::system_error(error, std::generic_category(), "connect");
        }
    }
    client_socket(const client_socket&) = delete;
    client_socket& operator=(const client_socket&) = delete;
    ~client_socket() { close(); }

    int fd() const { return fd_; }
    void close() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = -1;
    }

    void send_all(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n < 0) {
                throw std::system_error(errno, std::generic_category(), "send");
            }
            sent += static_cast<std::size_t>(n);
        }
    }

    // Waits at most `limit` for something to read. false: nothing arrived.
    bool wait_readable(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, static_cast<int>(limit.count())) > 0;
    }

    // Reads exactly n bytes (or fewer if the peer closes first).
    std::string receive(std::size_t n, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        std::string out;
        char buffer[65536];
        while (out.size() < n) {
            if (!wait_readable(limit)) {
                throw std::runtime_error("timed out after receiving " + std::to_string(out.size()) +
                                         " bytes");
            }
            std::size_t want = std::min(sizeof buffer, n - out.size());
            ssize_t got = ::recv(fd_, buffer, want, 0);
            if (got < 0) {
                throw std::system_error(errno, std::generic_category(), "recv");
            }
            if (got == 0) {
                break;
            }
            out.append(buffer, static_cast<std::size_t>(got));
        }
        return out;
    }

    // Reads until the peer closes; returns everything read.
    std::string receive_until_closed(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        std::string out;
        char buffer[65536];
        for (;;) {
            if (!wait_readable(limit)) {
                throw std::runtime_error("the peer did not close in time");
            }
            ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got < 0) {
                throw std::system_error(errno, std::generic_category(), "recv");
            }
            if (got == 0) {
                return out;
            }
            out.append(buffer, static_cast<std::size_t>(got));
        }
    }

private:
    int fd_;
};

} // namespace test
