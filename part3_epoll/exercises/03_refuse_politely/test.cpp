// Exercise 03: a connection limit that refuses politely.
#include "accept_policy.hpp"
#include "net.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace {
unique_fd connect_to(std::uint16_t port) {
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

// Everything the server sent until it closed, or "" plus open=true if nothing came within 200 ms.
std::string read_reply(int fd, bool& still_open) {
    std::string got;
    still_open = false;
    for (int i = 0; i < 100; ++i) { // bounded
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) == 0) {
            still_open = true;
            return got;
        }
        char buf[256];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            return got;
        }
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
}
} // namespace

TEST_CASE("past the limit, new clients are told the server is busy and are closed") {
    unique_fd listener = listen_tcp("127.0.0.1", 0);
    const auto port = local_port(listener.get());
    std::vector<unique_fd> clients;
    for (int i = 0; i < 5; ++i) {
        clients.push_back(connect_to(port));
    }
    std::vector<unique_fd> accepted;
    std::size_t refused = 0;
    // One already open, limit 3: two more fit, three are refused. The handshakes may still be finishing,
    // so call again (the listener becomes readable) until all five are handled, bounded by 5 s.
    for (int tries = 0; tries < 50 && accepted.size() + refused < 5; ++tries) {
        pollfd p{listener.get(), POLLIN, 0};
        ::poll(&p, 1, 100);
        refused += accept_pending(listener.get(), 1 + accepted.size(), 3, accepted);
    }
    CHECK(accepted.size() == 2);
    CHECK(refused == 3);

    int told_busy = 0, kept = 0;
    for (auto& c : clients) {
        bool still_open = false;
        const std::string reply = read_reply(c.get(), still_open);
        if (still_open) {
            CHECK(reply.empty());
            ++kept;
        } else {
            CHECK(reply == busy_message);
            ++told_busy;
        }
    }
    CHECK(kept == 2); // the accepted ones hear nothing: they are being served
    CHECK(told_busy == 3);
}

TEST_CASE("below the limit everybody is accepted") {
    unique_fd listener = listen_tcp("127.0.0.1", 0);
    const auto port = local_port(listener.get());
    auto a = connect_to(port);
    auto b = connect_to(port);
    std::vector<unique_fd> accepted;
    for (int tries = 0; tries < 50 && accepted.size() < 2; ++tries) {
        pollfd p{listener.get(), POLLIN, 0};
        ::poll(&p, 1, 100);
        CHECK(accept_pending(listener.get(), accepted.size(), 10, accepted) == 0);
    }
    CHECK(accepted.size() == 2);
}
