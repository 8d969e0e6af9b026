// file_descriptor.hpp: owns one file descriptor and closes it exactly once.
// Every socket, pipe and eventfd in this chapter lives in one of these, so no early return or exception can
// leak a descriptor (a leaked fd is a connection the peer never sees closed).
#pragma once

#include <unistd.h>

#include <utility>

// snippet-begin: file_descriptor
class file_descriptor {
public:
    file_descriptor() = default;
    explicit file_descriptor(int fd) noexcept : fd_(fd) {}

    // Move-only: two owners would close the same number twice, and the second close may hit an fd that
    // another thread has just been given for a new connection.
    file_descriptor(file_descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    file_descriptor& operator=(file_descriptor&& other) noexcept {
        if (this != &other) {
            reset(std::exchange(other.fd_, -1));
        }
        return *this;
    }
    file_descriptor(const file_descriptor&) = delete;
    file_descriptor& operator=(const file_descriptor&) = delete;
    ~file_descriptor() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }

    // close() is not retried on EINTR: on Linux the descriptor is gone even when close reports an error,
    // and a retry could close a descriptor some other thread just opened.
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }

private:
    int fd_ = -1;
};
// snippet-end: file_descriptor
