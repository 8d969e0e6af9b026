// http_test_support.hpp: what the server tests need: start the server binary and learn its port from the
// "listening on" line, stop it and collect its exit status, and a small blocking HTTP client whose every wait
// is a poll() with a generous upper bound. This chapter's own copy (chapters share no code).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace http_test {

constexpr int patience_ms =
    10'000; // the upper bound of every wait: generous, so a slow sanitizer build passes

[[noreturn]] inline void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

class owned_fd {
public:
    owned_fd() = default;
    explicit owned_fd(int fd) : fd_(fd) {}
    owned_fd(owned_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    owned_fd& operator=(owned_fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    ~owned_fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int get() const { return fd_; }
    void reset() { *this = owned_fd(); }

private:
    int fd_ = -1;
};

// Waits until fd has `events`; false after timeout_ms.
inline bool wait_for(int fd, short events, int timeout_ms = patience_ms) {
    pollfd p{fd, events, 0};
    for (;;) {
        const int n = ::poll(&p, 1, timeout_ms);
        if (n >= 0) {
            return n == 1;
        }
        if (errno != EINTR) {
            fail("poll");
        }
    }
}

// The server under test, started with `args`; its stdout is a pipe we read the "listening on" line from.
class server_process {
public:
    explicit server_process(std::vector<std::string> args) {
        int out[2];
        if (::pipe2(out, O_CLOEXEC) < 0) {
            fail("pipe2");
        }
        pid_ = ::fork();
        if (pid_ < 0) {
            fail("fork");
        }
        if (pid_ == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            std::vector<char*> argv;
            for (auto& a : args) {
                argv.push_back(a.data());
            }
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            std::perror("execv");
            ::_exit(127);
        }
        ::close(out[1]);
        stdout_ = owned_fd(out[0]);
        pidfd_ = owned_fd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
        if (pidfd_.get() < 0) {
            fail("pidfd_open");
        }
        const std::string line = read_line();
        const std::string prefix = "listening on 127.0.0.1:";
        if (line.rfind(prefix, 0) != 0) {
            throw std::runtime_error("unexpected first line from the server: '" + line + "'");
        }
        port_ = static_cast<std::uint16_t>(std::stoi(line.substr(prefix.size())));
    }
    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;
    ~server_process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    std::uint16_t port() const { return port_; }

    // Sends `sig` and returns the exit status (-1: did not exit in time, or died of a signal).
    int stop(int sig = SIGTERM) {
        ::kill(pid_, sig);
        if (!wait_for(pidfd_.get(), POLLIN)) {
            return -1;
        }
        int status = 0;
        ::waitpid(std::exchange(pid_, -1), &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    std::string read_line() {
        std::string line;
        char c = 0;
        while (line.size() < 200) {
            if (!wait_for(stdout_.get(), POLLIN)) {
                throw std::runtime_error("no 'listening on' line from the server in time");
            }
            if (::read(stdout_.get(), &c, 1) != 1 || c == '\n') {
                break;
            }
            line += c;
        }
        return line;
    }

    pid_t pid_ = -1;
    owned_fd stdout_;
    owned_fd pidfd_;
    std::uint16_t port_ = 0;
};

struct response {
    int status = 0;
    std::string head; // status line and headers
    std::string body;
    bool has_header(std::string_view line) const {
        return head.find("\r\n" + std::string(line) + "\r\n") != std::string::npos;
    }
};

// A blocking client connection to 127.0.0.1:port.
class client {
public:
    explicit client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        if (fd_.get() < 0) {
            fail("socket");
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0) {
            fail("connect");
        }
        const int one = 1;
        ::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }

    void send(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0) {
                fail("send");
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    // The next response; `head_request`: it carries no body whatever Content-Length says. nullopt when the
    // server closed (or went silent for timeout_ms) before a whole response arrived.
    std::optional<response> read_response(bool head_request = false, int timeout_ms = patience_ms) {
        std::size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill(timeout_ms)) {
                return std::nullopt;
            }
        }
        response r;
        r.head = buffer_.substr(0, end + 2);
        r.status = std::atoi(r.head.c_str() + 9);
        std::size_t length = 0;
        if (const auto at = r.head.find("\r\nContent-Length: "); at != std::string::npos) {
            length = std::strtoul(r.head.c_str() + at + 18, nullptr, 10);
        }
        if (head_request) {
            length = 0;
        }
        while (buffer_.size() < end + 4 + length) {
            if (!fill(timeout_ms)) {
                return std::nullopt;
            }
        }
        r.body = buffer_.substr(end + 4, length);
        buffer_.erase(0, end + 4 + length);
        return r;
    }

    // True when the server closes the connection (EOF or reset) within timeout_ms, with no bytes before it.
    bool closed_by_server(int timeout_ms = patience_ms) {
        while (buffer_.empty()) {
            if (!wait_for(fd_.get(), POLLIN, timeout_ms)) {
                return false;
            }
            char chunk[4096];
            const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
            if (n <= 0) {
                return true;
            }
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
        return false;
    }

    void close() { fd_.reset(); }
    int fd() const { return fd_.get(); }

private:
    bool fill(int timeout_ms) {
        if (!wait_for(fd_.get(), POLLIN, timeout_ms)) {
            return false;
        }
        char chunk[16384];
        const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
        if (n <= 0) {
            return false;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    owned_fd fd_;
    std::string buffer_;
};

// Runs a shell command, returns its stdout.
inline std::string run_command(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        fail("popen");
    }
    char chunk[4096];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0) {
        out.append(chunk, n);
    }
    ::pclose(pipe);
    return out;
}

} // namespace http_test
