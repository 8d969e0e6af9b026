// Reference solution: accept everything waiting; keep what fits, tell the rest and close them.
#include "accept_policy.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <system_error>

std::size_t accept_pending(int listener, std::size_t open, std::size_t max_open,
                           std::vector<unique_fd>& accepted) {
    std::size_t refused = 0;
    for (;;) {
        unique_fd fd(::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return refused;
            }
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "accept4");
        }
        if (open < max_open) {
            accepted.push_back(std::move(fd));
            ++open;
            continue;
        }
        // A fresh socket's send buffer is empty, so this short message fits and the send cannot block. The
        // result is ignored on purpose: a client that is already gone needs no apology.
        [[maybe_unused]] const auto sent =
            ::send(fd.get(), busy_message.data(), busy_message.size(), MSG_NOSIGNAL);
        ++refused; // fd closes here: the client reads the message, then end of stream
    }
}
