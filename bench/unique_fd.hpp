// unique_fd.hpp: owns one file descriptor and closes it exactly once.
// The same idea as the chapters' own fd owners (Part 1 introduces it); bench/ carries its own copy so the
// harness depends on no chapter.
#pragma once

#include <unistd.h>

#include <utility>

class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int raw) noexcept : raw_(raw) {}
    unique_fd(unique_fd&& other) noexcept : raw_(std::exchange(other.raw_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) {
            reset();
            raw_ = std::exchange(other.raw_, -1);
        }
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return raw_; }
    explicit operator bool() const noexcept { return raw_ >= 0; }

    // Closing also drops the fd from every epoll set it was the last reference for: no epoll_ctl(DEL) needed.
    void reset() noexcept {
        if (raw_ >= 0) {
            ::close(std::exchange(raw_, -1));
        }
    }

private:
    int raw_ = -1;
};
