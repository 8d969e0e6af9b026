// The kernel behaviours the event loop relies on, shown on real descriptors with raw epoll calls.
#include "fd.hpp"

#include <doctest/doctest.h>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>

namespace {

struct socket_pair {
    unique_fd a, b;
};

socket_pair make_pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
    return {unique_fd(fds[0]), unique_fd(fds[1])};
}

unique_fd make_epoll() {
    unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
    REQUIRE(ep);
    return ep;
}

void watch(int ep, int fd, std::uint32_t events, std::uint64_t tag, int op = EPOLL_CTL_ADD) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = tag;
    REQUIRE(::epoll_ctl(ep, op, fd, &ev) == 0);
}

// Number of ready descriptors without blocking (timeout 0).
int ready_now(int ep, std::uint64_t* tag = nullptr) {
    epoll_event ev[4];
    const int n = ::epoll_wait(ep, ev, 4, 0);
    if (n > 0 && tag != nullptr) {
        *tag = ev[0].data.u64;
    }
    return n;
}

void send_bytes(int fd, std::size_t n) {
    std::string data(n, 'x');
    REQUIRE(::write(fd, data.data(), n) == static_cast<ssize_t>(n));
}

void read_bytes(int fd, std::size_t n) {
    char buf[256];
    REQUIRE(n <= sizeof buf);
    REQUIRE(::read(fd, buf, n) == static_cast<ssize_t>(n));
}

} // namespace

// snippet-begin: level_vs_edge
TEST_CASE("level-triggered epoll reports a partly drained socket again") {
    auto [a, b] = make_pair();
    auto ep = make_epoll();
    watch(ep.get(), a.get(), EPOLLIN, 1);
    send_bytes(b.get(), 100);
    CHECK(ready_now(ep.get()) == 1);
    read_bytes(a.get(), 10); // 90 bytes are still waiting
    CHECK(ready_now(ep.get()) == 1);
    CHECK(ready_now(ep.get()) == 1); // and again, on every wait, until they are read
}

TEST_CASE("edge-triggered epoll does not report a partly drained socket until new data arrives") {
    auto [a, b] = make_pair();
    auto ep = make_epoll();
    watch(ep.get(), a.get(), EPOLLIN | EPOLLET, 1);
    send_bytes(b.get(), 100);
    CHECK(ready_now(ep.get()) == 1);
    read_bytes(a.get(), 10);
    CHECK(ready_now(ep.get()) == 0); // 90 bytes are there, but no new edge: a reader that waits now hangs
    send_bytes(b.get(), 1);
    CHECK(ready_now(ep.get()) == 1); // new data is a new edge
}
// snippet-end: level_vs_edge

TEST_CASE("EPOLLONESHOT fires once and needs re-arming with EPOLL_CTL_MOD") {
    auto [a, b] = make_pair();
    auto ep = make_epoll();
    watch(ep.get(), a.get(), EPOLLIN | EPOLLONESHOT, 1);
    send_bytes(b.get(), 10);
    CHECK(ready_now(ep.get()) == 1);
    send_bytes(b.get(), 10);
    CHECK(ready_now(ep.get()) == 0); // disarmed, even with unread data and a new edge
    watch(ep.get(), a.get(), EPOLLIN | EPOLLONESHOT, 1, EPOLL_CTL_MOD);
    CHECK(ready_now(ep.get()) == 1);
}

// snippet-begin: dup_trap
TEST_CASE("a closed descriptor whose dup is still open keeps delivering events") {
    auto [a, b] = make_pair();
    auto ep = make_epoll();
    const int number = a.get();
    unique_fd copy(::dup(a.get())); // same open file description, second descriptor
    REQUIRE(copy);
    watch(ep.get(), number, EPOLLIN, 42);

    SUBCASE("close without remove: the registration outlives the descriptor") {
        a.reset();
        send_bytes(b.get(), 1);
        std::uint64_t tag = 0;
        CHECK(ready_now(ep.get(), &tag) == 1);
        CHECK(tag == 42); // an event for a descriptor number that is closed (maybe reused already)
        // and it cannot be removed any more: the number is closed, and the dup is a different key
        CHECK(::epoll_ctl(ep.get(), EPOLL_CTL_DEL, number, nullptr) == -1);
        CHECK(errno == EBADF);
        CHECK(::epoll_ctl(ep.get(), EPOLL_CTL_DEL, copy.get(), nullptr) == -1);
        CHECK(errno == ENOENT);
    }
    SUBCASE("remove before close: no more events") {
        REQUIRE(::epoll_ctl(ep.get(), EPOLL_CTL_DEL, number, nullptr) == 0);
        a.reset();
        send_bytes(b.get(), 1);
        CHECK(ready_now(ep.get()) == 0);
    }
}
// snippet-end: dup_trap
