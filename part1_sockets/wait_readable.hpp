// wait_readable.hpp: block until a socket has something for us, or until we are asked to stop.
// A blocking read() cannot be told to give up; poll() on two fds can: the socket and the stop_event.
#pragma once

#include "system_error.hpp"

#include <poll.h>

enum class wake_reason { readable, stop, timeout };

// "readable" also covers end of stream, a reset and errors: the read() that follows reports which it was.
// The stop fd wins when both are ready. timeout_ms = -1 waits forever.
inline wake_reason wait_readable(int fd, int stop_fd, int timeout_ms = -1) {
    for (;;) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
        int n = ::poll(fds, 2, timeout_ms);
        if (n < 0) {
            if (errno == EINTR) {
                continue; // a signal arrived; if it was SIGTERM, the stop fd is readable by now
            }
            throw_system_error("poll");
        }
        if (n == 0) {
            return wake_reason::timeout;
        }
        if (fds[1].revents != 0) {
            return wake_reason::stop;
        }
        return wake_reason::readable;
    }
}
