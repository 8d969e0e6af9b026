// test_support.hpp: what the chapter's tests share: start a server binary and learn its port from the
// "listening on" line, and small blocking-client helpers with upper bounds on every wait.
#pragma once

#include "fd.hpp"

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace std::chrono_literals;

class server_process {
public:
    // Starts `path args...`, waits (at most 10 s) for "listening on HOST:PORT" on its stdout.
    // fd_limit > 0 caps the child's RLIMIT_NOFILE (soft and hard) before exec.
    server_process(const std::string& path, const std::vector<std::string>& args, long fd_limit = 0);
    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;
    ~server_process(); // SIGKILL and reap if still running

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

    // Sends SIGTERM and waits at most `bound`. Returns the wait status, or -1 on timeout.
    int terminate_and_wait(std::chrono::milliseconds bound = 10s);
    bool running();

    long status_kib(const char* field) const; // "VmRSS", "VmHWM" from /proc/PID/status
    std::size_t open_fds() const;             // entries in /proc/PID/fd
    long cpu_ticks() const;                   // utime + stime from /proc/PID/stat

private:
    pid_t pid_ = -1;
    unique_fd stdout_;
    std::uint16_t port_ = 0;
};

unique_fd connect_to(std::uint16_t port);
void write_all(int fd, const void* data, std::size_t size);
void write_all(int fd, const std::string& data);
// Reads exactly `size` bytes, or fewer if the peer closes; throws when `bound` passes first.
std::string read_exact(int fd, std::size_t size, std::chrono::milliseconds bound = 10s);
// Reads until end of stream; throws when `bound` passes first.
std::string read_to_eof(int fd, std::chrono::milliseconds bound = 20s);
// True if fd becomes readable within `bound`.
bool readable_within(int fd, std::chrono::milliseconds bound);
// Closes with SO_LINGER {on, 0}: the kernel sends RST instead of FIN.
void reset_connection(unique_fd fd);
// Payload whose bytes depend on seed and position, so swapped or shifted bytes are noticed.
std::string pattern(std::size_t size, unsigned seed);
