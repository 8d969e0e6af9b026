// Reference solution: read until EAGAIN, end of stream, or the budget.
#include "drain.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

drain_result drain(int fd, std::string& out, int budget) {
    drain_result result;
    char buffer[drain_chunk];
    while (budget-- > 0) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            out.append(buffer, static_cast<std::size_t>(n));
            result.bytes += static_cast<std::size_t>(n);
        } else if (n == 0) {
            result.eof = true;
            return result;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return result; // drained: the next edge will tell us about new data
        } else if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "read");
        }
    }
    result.more = true; // the caller must come back without waiting for an edge that will not come
    return result;
}
