// server_process.hpp: starts a server binary, learns its port from the "listening on" line, stops it by PID.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace test {

class server_process {
public:
    explicit server_process(std::vector<std::string> args) {
        int out[2];
        if (::pipe2(out, O_CLOEXEC) < 0) {
            throw std::system_error(errno, std::generic_category(), "pipe2");
        }
        pid_ = ::fork();
        if (pid_ < 0) {
            throw std::system_error(errno, std::generic_category(), "fork");
        }
        if (pid_ == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            std::vector<char*> argv;
            for (auto& arg : args) {
                argv.push_back(arg.data());
            }
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        stdout_ = out[0];
        port_ = read_port();
    }
    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;
    ~server_process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(stdout_);
    }

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

    // Sends sig and waits (bounded) for the exit; returns the exit status, or -1 if it did not exit normally.
    int stop(int sig = SIGTERM, std::chrono::seconds limit = std::chrono::seconds(20)) {
        ::kill(pid_, sig);
        return wait_exit(limit);
    }
    int wait_exit(std::chrono::seconds limit) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            pid_t done = ::waitpid(pid_, &status, WNOHANG);
            if (done == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            ::poll(nullptr, 0, 10); // no event to wait for on a child's exit without a pidfd: poll briefly
        }
        throw std::runtime_error("the server did not exit in time");
    }

private:
    std::uint16_t read_port() {
        std::string line;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (line.find('\n') == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{stdout_, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                throw std::runtime_error("no 'listening on' line from the server");
            }
            char buffer[256];
            ssize_t n = ::read(stdout_, buffer, sizeof buffer);
            if (n <= 0) {
                throw std::runtime_error("the server exited before listening");
            }
            line.append(buffer, static_cast<std::size_t>(n));
        }
        auto colon = line.rfind(':', line.find('\n'));
        if (line.rfind("listening on ", 0) != 0 || colon == std::string::npos) {
            throw std::runtime_error("unexpected first line: " + line);
        }
        return static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    }

    pid_t pid_ = -1;
    int stdout_ = -1;
    std::uint16_t port_ = 0;
};

} // namespace test
