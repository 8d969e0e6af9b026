// stop_event.hpp: "please stop" as a file descriptor.
// A server blocked in poll() cannot wait on a flag or a condition variable, but it can wait on one more fd.
// An eventfd becomes readable once notify() ran, and notify() is a plain write(2), which is safe to call from
// a signal handler. Tests stop an in-process server the same way SIGTERM stops the real one.
#pragma once

#include "file_descriptor.hpp"
#include "system_error.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

// snippet-begin: stop_event
class stop_event {
public:
    stop_event() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
        if (!fd_) {
            throw_system_error("eventfd");
        }
    }

    // Async-signal-safe: one write(2), no allocation, no lock. Never reset, so every poller sees it.
    void notify() const noexcept {
        std::uint64_t one = 1;
        [[maybe_unused]] auto written = ::write(fd_.get(), &one, sizeof one);
    }

    int fd() const noexcept { return fd_.get(); }

private:
    file_descriptor fd_;
};
// snippet-end: stop_event
