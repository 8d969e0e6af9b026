// Your file. This is how a level-triggered handler reads: once per wakeup. Make it right for
// edge-triggered epoll (see README.md).
#include "drain.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

drain_result drain(int fd, std::string& out, int budget) {
    drain_result result;
    char buffer[drain_chunk];
    (void)budget;
    // TODO(exercise): with EPOLLET, one read is not enough: read until EAGAIN or end of stream, but make at
    // most `budget` reads, and say in result.more when the budget stopped you.
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
        out.append(buffer, static_cast<std::size_t>(n));
        result.bytes += static_cast<std::size_t>(n);
    } else if (n == 0) {
        result.eof = true;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        throw std::system_error(errno, std::generic_category(), "read");
    }
    return result;
}
