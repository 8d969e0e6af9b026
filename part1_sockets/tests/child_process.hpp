// child_process.hpp (tests): run a server binary as a child process, read its "listening on" line, signal
// it, and wait for its exit status, each with an upper bound so a broken server fails a test, never hangs it.
#pragma once

#include "file_descriptor.hpp"
#include "system_error.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

class child_process {
public:
    // Starts argv[0] with stdout (and optionally stderr) connected to pipes we read.
    explicit child_process(const std::vector<std::string>& argv, bool capture_stderr = false) {
        int out[2];
        int err[2];
        if (::pipe2(out, O_CLOEXEC) < 0 || ::pipe2(err, O_CLOEXEC) < 0) {
            throw_system_error("pipe2");
        }
        stdout_ = file_descriptor(out[0]);
        stderr_ = file_descriptor(err[0]);
        file_descriptor out_write(out[1]);
        file_descriptor err_write(err[1]);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
        if (capture_stderr) {
            posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
        }
        std::vector<char*> args;
        for (const std::string& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        // posix_spawn, not fork: the test process has threads, and a forked child of a threaded process
        // may only call async-signal-safe functions before exec.
        int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            errno = rc;
            throw_system_error("posix_spawn");
        }
    }

    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    // A test that failed half-way must not leave a server running: kill what we started, by its pid.
    ~child_process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    pid_t pid() const { return pid_; }
    void send_signal(int signal) const { ::kill(pid_, signal); }

    // The next line of the child's stdout (without '\n'), or nothing if none came within the timeout.
    std::optional<std::string> read_stdout_line(std::chrono::milliseconds timeout) {
        return read_line(stdout_.get(), out_buffer_, timeout);
    }

    // The next line of the child's stderr (needs capture_stderr).
    std::optional<std::string> read_stderr_line(std::chrono::milliseconds timeout) {
        return read_line(stderr_.get(), err_buffer_, timeout);
    }

    // Everything the child wrote to stderr until it closed it (needs capture_stderr).
    std::string read_stderr_to_end(std::chrono::milliseconds timeout) {
        std::string all;
        while (auto line = read_line(stderr_.get(), err_buffer_, timeout)) {
            all += *line + "\n";
        }
        return all + err_buffer_;
    }

    // Waits for the child to exit: its exit status, or 128 + signal number if a signal killed it.
    // Throws if it is still running after the timeout.
    int wait_exit(std::chrono::milliseconds timeout) {
        // A pidfd becomes readable when the process exits: we wait on that event, not on a sleep.
        file_descriptor pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
        if (!pidfd) {
            throw_system_error("pidfd_open");
        }
        pollfd p{pidfd.get(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) {
            throw std::runtime_error("child did not exit within the timeout");
        }
        int status = 0;
        if (::waitpid(pid_, &status, 0) < 0) {
            throw_system_error("waitpid");
        }
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    static std::optional<std::string> read_line(int fd, std::string& buffer,
                                                std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto nl = buffer.find('\n'); nl != std::string::npos) {
                std::string line = buffer.substr(0, nl);
                buffer.erase(0, nl + 1);
                return line;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) != 1) {
                return std::nullopt;
            }
            char chunk[4096];
            ssize_t n = ::read(fd, chunk, sizeof chunk);
            if (n <= 0) {
                return std::nullopt; // the child closed its end
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
    }

    pid_t pid_ = -1;
    file_descriptor stdout_;
    file_descriptor stderr_;
    std::string out_buffer_;
    std::string err_buffer_;
};
