// Exercise 02: idle deadlines that feed epoll_wait's timeout.
#include "fd.hpp"
#include "idle_tracker.hpp"

#include <doctest/doctest.h>

#include <sys/epoll.h>
#include <sys/socket.h>

#include <vector>

using namespace std::chrono_literals;
using clock_type = idle_tracker::clock;

TEST_CASE("the timeout is the time to the earliest deadline, rounded up") {
    idle_tracker idle(100ms);
    const auto t0 = clock_type::now();
    CHECK(idle.next_timeout_ms(t0) == -1); // nothing to wait for
    idle.touch(1, t0);
    idle.touch(2, t0 + 30ms);
    CHECK(idle.next_timeout_ms(t0) == 100);
    CHECK(idle.next_timeout_ms(t0 + 40ms + 500us) == 60); // 59.5 ms: rounding down would wake too early
    CHECK(idle.next_timeout_ms(t0 + 150ms) == 0);
}

TEST_CASE("expire returns the silent connections in order and spares the touched ones") {
    idle_tracker idle(100ms);
    const auto t0 = clock_type::now();
    idle.touch(1, t0);
    idle.touch(2, t0 + 10ms);
    idle.touch(3, t0 + 20ms);
    idle.touch(1, t0 + 50ms); // 1 spoke again: its deadline moves to t0 + 150 ms
    CHECK(idle.expire(t0 + 99ms).empty());
    CHECK(idle.expire(t0 + 120ms) == std::vector<int>{2, 3});
    CHECK(idle.next_timeout_ms(t0 + 120ms) == 30);
    idle.forget(1);
    CHECK(idle.expire(t0 + 1s).empty());
    CHECK(idle.size() == 0);
}

TEST_CASE("an epoll loop driven by the tracker closes a silent connection on time") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    unique_fd a(fds[0]), b(fds[1]);
    unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event ev{};
    ev.events = EPOLLIN;
    REQUIRE(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, a.get(), &ev) == 0); // silent: never readable

    idle_tracker idle(50ms);
    const auto start = clock_type::now();
    idle.touch(7, start);
    std::vector<int> closed;
    for (int turn = 0; turn < 20 && closed.empty(); ++turn) { // bounded: 20 wakeups at most
        epoll_event out{};
        const int timeout = idle.next_timeout_ms(clock_type::now());
        REQUIRE(timeout >= 0); // -1 would block forever on a silent socket
        REQUIRE(::epoll_wait(ep.get(), &out, 1, timeout) == 0);
        closed = idle.expire(clock_type::now());
    }
    CHECK(closed == std::vector<int>{7});
    CHECK(clock_type::now() - start >= 50ms);
}
