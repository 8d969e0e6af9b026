#include "socket_io.hpp"

#include "system_error.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

// snippet-begin: read_some
std::size_t read_some(int fd, std::span<char> buffer) {
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n >= 0) {
            return static_cast<std::size_t>(n); // 0: the peer's FIN, a normal end of stream
        }
        if (errno != EINTR) { // EINTR: a signal handler ran before any byte arrived; nothing was lost
            throw_system_error("read");
        }
    }
}
// snippet-end: read_some

// snippet-begin: read_exact
std::size_t read_exact(int fd, std::span<char> buffer) {
    std::size_t done = 0;
    while (done < buffer.size()) {
        std::size_t n = read_some(fd, buffer.subspan(done));
        if (n == 0) {
            break; // end of stream before the buffer was full: the caller decides if that is an error
        }
        done += n;
    }
    return done;
}
// snippet-end: read_exact

// snippet-begin: write_all
void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        // MSG_NOSIGNAL: writing to a reset connection must fail with EPIPE here, not raise SIGPIPE, whose
        // default action silently ends the whole server.
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_system_error("send");
        }
        data.remove_prefix(static_cast<std::size_t>(n)); // a partial write: send the rest
    }
}
// snippet-end: write_all
