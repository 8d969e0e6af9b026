#include "write_all.hpp"

#include <sys/socket.h>

namespace exercise {

void write_all(int fd, std::string_view data) {
    // TODO(exercise): one send() is not enough. It may take only part of data, fail with EAGAIN when the
    // socket buffer is full, or be interrupted (EINTR). Loop until every byte is sent; throw
    // std::system_error(errno, std::generic_category(), "send") on a real error.
    ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
}

} // namespace exercise
