#include "accept_connection.hpp"

#include "log.hpp"
#include "system_error.hpp"
#include "wait_readable.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <cstring>

// snippet-begin: accept_connection
file_descriptor accept_connection(int listener, int stop_fd) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
        return file_descriptor(fd);
    }
    switch (errno) {
    case EAGAIN:
        return {}; // the waiting connection went away before we took it
    case EBADF:
    case EINVAL:
    case ENOTSOCK:
    case EFAULT:
        throw_system_error("accept4"); // our bug, not the client's: stop loudly
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
        // Out of descriptors or memory. The pending connection stays queued and poll() would report it
        // again at once, so back off for 100 ms (or until stopped) instead of spinning on the CPU.
        log_line(std::string("accept4: ") + std::strerror(errno) + " (retrying in 100 ms)");
        wait_readable(stop_fd, stop_fd, 100);
        return {};
    default:
        // EINTR, ECONNABORTED (reset while queued), EPERM (firewall) and network errors the man page says
        // to treat like EAGAIN: this connection is lost, the listener is fine.
        log_line(std::string("accept4: ") + std::strerror(errno));
        return {};
    }
}
// snippet-end: accept_connection

void make_listener_nonblocking(int listener) {
    int flags = ::fcntl(listener, F_GETFL);
    if (flags < 0 || ::fcntl(listener, F_SETFL, flags | O_NONBLOCK) < 0) {
        throw_system_error("fcntl(O_NONBLOCK)");
    }
}
