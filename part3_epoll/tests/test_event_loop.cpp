// The event_loop: dispatch through data.ptr, wake-up from another thread, signals, timers.
#include "event_loop.hpp"

#include <doctest/doctest.h>

#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// Runs the loop on a thread; the destructor stops and joins it, so a failing test cannot hang.
struct loop_thread {
    event_loop& loop;
    std::atomic<pid_t> tid{0};
    std::promise<void> done;
    std::thread thread;
    explicit loop_thread(event_loop& l) : loop(l) {
        thread = std::thread([this] {
            tid = static_cast<pid_t>(::syscall(SYS_gettid));
            loop.run();
            done.set_value();
        });
    }
    ~loop_thread() {
        loop.stop();
        thread.join();
    }
};

// 'S' (sleeping) in /proc/self/task/TID/stat: the loop thread is blocked, and epoll_wait is the only call
// it can block in.
bool sleeping(pid_t tid) {
    std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = all.rfind(')');
    return paren != std::string::npos && paren + 2 < all.size() && all[paren + 2] == 'S';
}

struct counting_handler final : io_handler {
    int fd = -1;
    int calls = 0;
    std::uint32_t last = 0;
    void on_events(std::uint32_t events) override {
        ++calls;
        last = events;
        char buf[64];
        while (::read(fd, buf, sizeof buf) > 0) {
        }
    }
};

} // namespace

TEST_CASE("an eventfd wakes a loop blocked in epoll_wait from another thread") {
    event_loop loop; // nothing registered, no timers: epoll_wait would block forever
    loop_thread runner(loop);
    auto finished = runner.done.get_future();
    const auto give_up = clock_type::now() + 10s;
    while ((runner.tid == 0 || !sleeping(runner.tid)) && clock_type::now() < give_up) {
        std::this_thread::yield();
    }
    REQUIRE(sleeping(runner.tid));
    CHECK(finished.wait_for(100ms) == std::future_status::timeout); // still blocked
    loop.stop();                                                    // from this thread
    CHECK(finished.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("a timer fires within its deadline, and not before") {
    event_loop loop;
    clock_type::time_point fired{};
    timer t([&] {
        fired = clock_type::now();
        loop.stop();
    });
    const auto start = clock_type::now();
    loop.schedule(t, start + 50ms);
    loop.run();
    CHECK(fired - start >= 50ms);
    CHECK(fired - start < 50ms + 2s); // generous: a loaded CI machine
}

TEST_CASE("timers fire in deadline order and a cancelled timer never fires") {
    event_loop loop;
    std::vector<int> order;
    const auto now = clock_type::now();
    timer t3([&] {
        order.push_back(3);
        loop.stop();
    });
    timer t1([&] { order.push_back(1); });
    timer t2([&] { order.push_back(2); });
    timer cancelled([&] { order.push_back(99); });
    loop.schedule(t3, now + 30ms);
    loop.schedule(cancelled, now + 5ms);
    loop.schedule(t2, now + 20ms);
    loop.schedule(t1, now + 10ms);
    loop.cancel(cancelled);
    {
        timer destroyed([&] { order.push_back(98); }); // its destructor cancels it
        loop.schedule(destroyed, now + 1ms);
    }
    loop.run();
    CHECK(order == std::vector<int>{1, 2, 3});
}

TEST_CASE("the loop calls the handler stored in data.ptr, and never again after remove") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
    unique_fd a(fds[0]), b(fds[1]);
    event_loop loop;
    counting_handler h;
    h.fd = a.get();
    loop.add(a.get(), h, EPOLLIN);
    timer stop([&] { loop.stop(); });
    REQUIRE(::write(b.get(), "x", 1) == 1);
    loop.schedule(stop, clock_type::now() + 20ms);
    loop.run();
    CHECK(h.calls == 1);
    CHECK((h.last & EPOLLIN) != 0);

    loop.remove(a.get(), h);
    REQUIRE(::write(b.get(), "y", 1) == 1);
    loop.schedule(stop, clock_type::now() + 20ms);
    loop.run();
    CHECK(h.calls == 1);
}

TEST_CASE("call_soon runs a handler on the next turn without waiting for the kernel") {
    event_loop loop;
    counting_handler h;
    loop.call_soon(h, EPOLLIN);
    timer stop([&] { loop.stop(); });
    loop.schedule(stop, clock_type::now() + 10s); // would be the only wake-up if call_soon waited
    timer check([&] { loop.stop(); });
    loop.schedule(check, clock_type::now());
    const auto start = clock_type::now();
    loop.run();
    CHECK(h.calls == 1);
    CHECK(h.last == EPOLLIN);
    CHECK(clock_type::now() - start < 5s);
}

TEST_CASE("a blocked signal stops the loop through its signalfd") {
    event_loop loop;
    loop.stop_on_signals({SIGUSR1}); // blocks SIGUSR1 in this thread: it is queued, not delivered
    REQUIRE(::pthread_kill(::pthread_self(), SIGUSR1) == 0);
    timer give_up([&] { FAIL("the signal did not stop the loop"); });
    loop.schedule(give_up, clock_type::now() + 10s);
    loop.run();
    CHECK(give_up.scheduled());
}

TEST_CASE("a handler removed by another handler in the same batch is not called") {
    // Two readable sockets arrive in one epoll_wait batch. Whichever handler runs first removes the other
    // (as a server does when one connection's event closes another): the second must not be called.
    int p1[2], p2[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, p1) == 0);
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, p2) == 0);
    unique_fd a(p1[0]), a_peer(p1[1]), b(p2[0]), b_peer(p2[1]);
    event_loop loop;
    struct removing_handler final : io_handler {
        event_loop* loop = nullptr;
        int other_fd = -1;
        io_handler* other = nullptr;
        int calls = 0;
        void on_events(std::uint32_t) override {
            ++calls;
            loop->remove(other_fd, *other);
            loop->stop();
        }
    } ha, hb;
    ha.loop = hb.loop = &loop;
    ha.other_fd = b.get();
    ha.other = &hb;
    hb.other_fd = a.get();
    hb.other = &ha;
    loop.add(a.get(), ha, EPOLLIN);
    loop.add(b.get(), hb, EPOLLIN);
    REQUIRE(::write(a_peer.get(), "x", 1) == 1);
    REQUIRE(::write(b_peer.get(), "x", 1) == 1);
    loop.run();
    CHECK(ha.calls + hb.calls == 1);
}
