// Exercise 01: an edge-triggered reader drains the socket, within a budget.
#include "drain.hpp"
#include "fd.hpp"

#include <doctest/doctest.h>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace {
struct fixture {
    unique_fd reader, writer, ep;
    fixture() {
        int fds[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
        reader.reset(fds[0]);
        writer.reset(fds[1]);
        ep.reset(::epoll_create1(EPOLL_CLOEXEC));
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLET;
        REQUIRE(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, reader.get(), &ev) == 0);
    }
    void send(std::size_t n) {
        const std::string data(n, 'd');
        REQUIRE(::write(writer.get(), data.data(), n) == static_cast<ssize_t>(n));
    }
    int ready() {
        epoll_event ev{};
        return ::epoll_wait(ep.get(), &ev, 1, 0);
    }
};
} // namespace

TEST_CASE("one edge-triggered wakeup drains everything that is waiting") {
    fixture f;
    f.send(100 * 1024); // six and a bit reads' worth
    REQUIRE(f.ready() == 1);
    std::string out;
    const auto r = drain(f.reader.get(), out, 100);
    CHECK(r.bytes == 100 * 1024);
    CHECK(out.size() == 100 * 1024);
    CHECK_FALSE(r.more);
    CHECK_FALSE(r.eof);
    CHECK(f.ready() == 0); // nothing left, and epoll agrees
}

TEST_CASE("the budget stops a drain early and says so") {
    fixture f;
    f.send(100 * 1024);
    REQUIRE(f.ready() == 1);
    std::string out;
    const auto r = drain(f.reader.get(), out, 2);
    CHECK(r.bytes == 2 * drain_chunk);
    CHECK(r.more); // the caller must come back: no new edge will announce the rest
    CHECK(f.ready() == 0);
    const auto rest = drain(f.reader.get(), out, 100);
    CHECK(rest.bytes == 100 * 1024 - 2 * drain_chunk);
    CHECK_FALSE(rest.more);
}

TEST_CASE("data followed by end of stream is read to the end in one wakeup") {
    fixture f;
    f.send(40 * 1024);
    ::shutdown(f.writer.get(), SHUT_WR);
    REQUIRE(f.ready() == 1);
    std::string out;
    const auto r = drain(f.reader.get(), out, 100);
    CHECK(r.bytes == 40 * 1024);
    CHECK(r.eof);
}
