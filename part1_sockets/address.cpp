#include "address.hpp"

#include "system_error.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>
#include <stdexcept>

namespace {

struct addrinfo_deleter {
    void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
};
using addrinfo_list = std::unique_ptr<addrinfo, addrinfo_deleter>;

addrinfo_list resolve(const std::string& host, std::uint16_t port, int flags) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC; // IPv4 or IPv6, whichever the host name resolves to
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = flags | AI_NUMERICSERV;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list); rc != 0) {
        // getaddrinfo reports its own error codes, not errno (except EAI_SYSTEM).
        if (rc == EAI_SYSTEM) {
            throw_system_error("getaddrinfo");
        }
        throw std::runtime_error("getaddrinfo " + host + ": " + ::gai_strerror(rc));
    }
    return addrinfo_list(list);
}

std::string format_endpoint(const sockaddr_storage& address, socklen_t length) {
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (int rc = ::getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host,
                               service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV);
        rc != 0) {
        throw std::runtime_error(std::string("getnameinfo: ") + ::gai_strerror(rc));
    }
    // Brackets keep an IPv6 address apart from its port: "[::1]:7000".
    if (address.ss_family == AF_INET6) {
        return std::string("[") + host + "]:" + service;
    }
    return std::string(host) + ":" + service;
}

} // namespace

// snippet-begin: listen_on
file_descriptor listen_on(const std::string& host, std::uint16_t port, int backlog) {
    addrinfo_list candidates = resolve(host, port, AI_PASSIVE);
    int last_errno = 0;
    const char* failed_call = "socket";
    for (addrinfo* ai = candidates.get(); ai != nullptr; ai = ai->ai_next) {
        file_descriptor fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        if (!fd) {
            last_errno = errno, failed_call = "socket";
            continue;
        }
        int on = 1;
        if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0) {
            throw_system_error("setsockopt(SO_REUSEADDR)");
        }
        if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) < 0) {
            last_errno = errno, failed_call = "bind";
            continue; // try the next candidate address
        }
        // backlog: how many connections the kernel completes and queues for us before we call accept().
        if (::listen(fd.get(), backlog) < 0) {
            throw_system_error("listen");
        }
        return fd;
    }
    errno = last_errno;
    throw_system_error(failed_call);
}
// snippet-end: listen_on

file_descriptor connect_to(const std::string& host, std::uint16_t port) {
    addrinfo_list candidates = resolve(host, port, 0);
    int last_errno = 0;
    for (addrinfo* ai = candidates.get(); ai != nullptr; ai = ai->ai_next) {
        file_descriptor fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        if (!fd) {
            last_errno = errno;
            continue;
        }
        // No EINTR retry here: an interrupted connect goes on in the background and a second call would
        // fail with EALREADY. The client installs no signal handlers, so it does not happen to us.
        if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0) {
            return fd;
        }
        last_errno = errno;
    }
    errno = last_errno;
    throw_system_error("connect");
}

std::string local_endpoint(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
        throw_system_error("getsockname");
    }
    return format_endpoint(address, length);
}

std::uint16_t local_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
        throw_system_error("getsockname");
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    }
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

std::string peer_endpoint(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
        return "(unknown peer)"; // the peer may already be gone (ENOTCONN): not worth failing a log line
    }
    return format_endpoint(address, length);
}
