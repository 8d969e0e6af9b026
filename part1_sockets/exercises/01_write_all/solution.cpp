#include "write_all.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

namespace exercise {

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n >= 0) {
            data.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            // Full socket buffer: sleep in poll until the peer has read some, rather than spin on send.
            pollfd p{fd, POLLOUT, 0};
            if (::poll(&p, 1, -1) < 0 && errno != EINTR) {
                throw std::system_error(errno, std::generic_category(), "poll");
            }
            continue;
        }
        throw std::system_error(errno, std::generic_category(), "send");
    }
}

} // namespace exercise
