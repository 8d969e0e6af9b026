#include "address.hpp"
#include "connection_cap.hpp"
#include "socket_io.hpp"

#include <doctest/doctest.h>
#include <sys/socket.h>

#include <atomic>
#include <thread>
#include <vector>

using exercise::connection_slots;

TEST_CASE("a cap of 2 hands out two slots, and a third only after one is given back") {
    connection_slots slots(2);
    auto a = slots.try_acquire();
    auto b = slots.try_acquire();
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK_FALSE(slots.try_acquire().has_value());
    CHECK(slots.in_use() == 2);
    a.reset(); // the connection ended: its slot returns
    CHECK(slots.in_use() == 1);
    CHECK(slots.try_acquire().has_value());
}

TEST_CASE("threads racing for 3 slots never hold more than 3 at once") {
    connection_slots slots(3);
    std::atomic<int> holding{0};
    std::atomic<int> most{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 5000; ++i) {
                if (auto s = slots.try_acquire()) {
                    int now = ++holding;
                    int seen = most.load();
                    while (now > seen && !most.compare_exchange_weak(seen, now)) {
                    }
                    --holding;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(most.load() <= 3);
    CHECK(slots.in_use() == 0);
}

TEST_CASE("a refused client reads the reason, then end of stream") {
    file_descriptor listener = listen_on("127.0.0.1", 0, 4);
    file_descriptor client = connect_to("127.0.0.1", local_port(listener.get()));
    timeval limit{10, 0};
    ::setsockopt(client.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    file_descriptor accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    REQUIRE(accepted);
    exercise::refuse_politely(std::move(accepted), "busy: 2 connections already open");
    std::string got;
    char chunk[256];
    while (std::size_t n = read_some(client.get(), chunk)) {
        got.append(chunk, n);
    }
    CHECK(got == "busy: 2 connections already open\n");
}
