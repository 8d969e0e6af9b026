// test_runtime.cpp: the event loop and its awaitables, in-process, over real loopback sockets.
#include "echo_server.hpp"
#include "event_loop.hpp"
#include "sleep.hpp"
#include "tcp_listener.hpp"
#include "tcp_stream.hpp"
#include "timeout.hpp"

#include "client_socket.hpp"

#include <doctest/doctest.h>

#include <dirent.h>

#include <memory>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::span<const std::byte> as_bytes(const std::string& s) {
    return std::as_bytes(std::span(s));
}
std::string as_string(std::span<const std::byte> b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

struct stream_pair {
    coro::tcp_stream client;
    coro::tcp_stream server;
};

coro::task<stream_pair> connect_pair(coro::event_loop& loop, coro::tcp_listener& listener) {
    coro::tcp_stream client = co_await coro::tcp_stream::connect(loop, "127.0.0.1", listener.port());
    coro::tcp_stream server = co_await listener.accept();
    co_return stream_pair{std::move(client), std::move(server)};
}

std::size_t open_fds() {
    std::size_t n = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (::readdir(dir) != nullptr) {
            ++n;
        }
        ::closedir(dir);
    }
    return n;
}

} // namespace

TEST_CASE("timers fire in deadline order, not in the order they were started") {
    coro::event_loop loop;
    std::vector<int> order;
    // The lambda object must outlive the coroutines it starts: they keep a pointer to it (its captures).
    auto sleeper = [&order](int ms) -> coro::task<void> {
        co_await coro::sleep_for(std::chrono::milliseconds(ms));
        order.push_back(ms);
    };
    auto start = std::chrono::steady_clock::now();
    loop.spawn(sleeper(30));
    loop.spawn(sleeper(10));
    loop.spawn(sleeper(20));
    loop.run();
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(order == std::vector<int>{10, 20, 30});
    CHECK(elapsed >= 30ms);
    CHECK(elapsed < 10s);
}

TEST_CASE("accept and read suspend until the other side acts, then resume with the result") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    std::vector<std::string> log;
    auto client = [&]() -> coro::task<void> {
        co_await coro::sleep_for(20ms);
        log.push_back("client connects");
        coro::tcp_stream stream = co_await coro::tcp_stream::connect(loop, "127.0.0.1", listener.port());
        co_await coro::sleep_for(20ms);
        log.push_back("client writes");
        co_await stream.write_all(as_bytes("ping"));
    };
    auto server = [&]() -> coro::task<std::string> {
        log.push_back("server accepts");
        coro::tcp_stream stream = co_await listener.accept();
        log.push_back("server accepted, reads");
        std::string got = as_string(co_await stream.read_some());
        log.push_back("server read");
        co_return got;
    };
    loop.spawn(client());
    CHECK(loop.block_on(server()) == "ping");
    CHECK(log == std::vector<std::string>{"server accepts", "client connects", "server accepted, reads",
                                          "client writes", "server read"});
}

TEST_CASE(
    "a write to a peer that does not read suspends, keeps its bytes, and finishes when the peer reads") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    const std::size_t size = 8 << 20; // far more than the socket buffers hold
    std::string big(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        big[i] = static_cast<char>(i * 7 % 251);
    }
    auto test = [&]() -> coro::task<void> {
        stream_pair pair = co_await connect_pair(loop, listener);
        bool write_done = false;
        auto writer = [&]() -> coro::task<void> {
            co_await pair.server.write_all(as_bytes(big));
            write_done = true;
        };
        loop.spawn(writer());
        co_await coro::sleep_for(20ms);
        CHECK_FALSE(write_done); // suspended: the peer has not read anything yet
        std::string received;
        std::vector<std::byte> buffer(100'000);
        while (received.size() < size) {
            auto bytes = co_await pair.client.read_some(buffer);
            REQUIRE_FALSE(bytes.empty());
            received += as_string(bytes);
        }
        CHECK(received == big);
        co_await coro::sleep_for(1ms);
        CHECK(write_done);
    };
    loop.block_on(test());
}

TEST_CASE("a second coroutine reading the same socket gets std::logic_error, not a hang") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    auto test = [&]() -> coro::task<void> {
        stream_pair pair = co_await connect_pair(loop, listener);
        std::string first_got;
        auto first_reader = [&]() -> coro::task<void> {
            first_got = as_string(co_await pair.server.read_some());
        };
        loop.spawn(first_reader());
        co_await coro::sleep_for(1ms); // let the first reader start waiting
        bool refused = false;
        try {
            // Bounded: if the runtime wrongly parked this reader too, the test fails instead of hanging.
            co_await coro::with_timeout(pair.server.read_some(), 2s);
        } catch (const std::logic_error&) {
            refused = true;
        } catch (const std::system_error&) {
        }
        CHECK(refused);
        co_await pair.client.write_all(as_bytes("x"));
        for (int i = 0; i < 5000 && first_got.empty(); ++i) {
            co_await coro::sleep_for(1ms);
        }
        CHECK(first_got == "x"); // the first reader was not disturbed
    };
    loop.block_on(test());
}

TEST_CASE("a read that times out fails with timed_out while another connection keeps working") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    auto test = [&]() -> coro::task<void> {
        stream_pair quiet = co_await connect_pair(loop, listener);
        stream_pair busy = co_await connect_pair(loop, listener);
        int exchanged = 0;
        bool busy_done = false;
        auto ping_pong = [&]() -> coro::task<void> {
            for (int i = 0; i < 20; ++i) {
                co_await busy.client.write_all(as_bytes("ping"));
                auto got = co_await busy.server.read_some();
                CHECK(as_string(got) == "ping");
                co_await coro::sleep_for(1ms);
                ++exchanged;
            }
            busy_done = true;
        };
        loop.spawn(ping_pong());
        auto start = std::chrono::steady_clock::now();
        std::error_code error;
        try {
            co_await coro::with_timeout(quiet.server.read_some(), 100ms);
        } catch (const std::system_error& e) {
            error = e.code();
        }
        CHECK(error == std::errc::timed_out);
        CHECK(std::chrono::steady_clock::now() - start >= 90ms);
        for (int i = 0; i < 5000 && !busy_done; ++i) {
            co_await coro::sleep_for(1ms);
        }
        CHECK(exchanged == 20);
        // The stream is still usable after a timeout: a read that completes at once needs no timer.
        co_await quiet.client.write_all(as_bytes("late"));
        CHECK(as_string(co_await coro::with_timeout(quiet.server.read_some(), 5s)) == "late");
    };
    loop.block_on(test());
}

namespace {
struct counted {
    static inline int alive = 0;
    counted() { ++alive; }
    ~counted() { --alive; }
    counted(const counted&) = delete;
    counted& operator=(const counted&) = delete;
};
} // namespace

TEST_CASE("stop() from another thread resumes every waiting coroutine with operation_canceled") {
    std::size_t fds_before = open_fds();
    std::size_t frames_before = coro::live_coroutine_frames();
    int cancelled = 0;
    {
        coro::event_loop loop;
        coro::tcp_listener listener(loop, "127.0.0.1", 0);
        std::vector<coro::tcp_stream> clients;
        std::atomic<bool> all_waiting{false};
        auto reader = [&](coro::tcp_stream stream) -> coro::task<void> {
            counted guard;
            try {
                co_await stream.read_some();
            } catch (const std::system_error& e) {
                cancelled += e.code() == std::errc::operation_canceled;
                throw;
            }
        };
        auto sleeper = [&]() -> coro::task<void> {
            counted guard;
            try {
                co_await coro::sleep_for(1h);
            } catch (const std::system_error& e) {
                cancelled += e.code() == std::errc::operation_canceled;
                throw;
            }
        };
        auto setup = [&]() -> coro::task<void> {
            for (int i = 0; i < 10; ++i) {
                clients.push_back(co_await coro::tcp_stream::connect(loop, "127.0.0.1", listener.port()));
                loop.spawn(reader(co_await listener.accept()));
                loop.spawn(sleeper());
            }
            all_waiting = true;
        };
        loop.spawn(setup());
        std::thread stopper([&] {
            while (!all_waiting) {
                std::this_thread::yield();
            }
            loop.stop();
        });
        loop.run();
        stopper.join();
        CHECK(loop.live_tasks() == 0);
    }
    CHECK(cancelled == 20);
    CHECK(counted::alive == 0);
    CHECK(coro::live_coroutine_frames() == frames_before);
    CHECK(open_fds() == fds_before);
}

TEST_CASE("an echo server stopped with 100 open connections destroys every frame and closes every fd") {
    std::size_t fds_before = open_fds();
    std::size_t frames_left = 1;
    std::size_t connections_left = 1;
    std::atomic<std::uint16_t> port{0};
    coro::event_loop loop;
    std::thread server_thread([&] {
        coro::tcp_listener listener(loop, "127.0.0.1", 0);
        port = listener.port();
        {
            coro::echo_server server(loop, std::move(listener), {});
            loop.spawn(server.serve());
            loop.run(); // until stop(): every connection coroutine is cancelled and unwinds
            connections_left = server.connections();
        }
        frames_left = coro::live_coroutine_frames(); // counted on this thread: all of the server's frames
    });
    while (port == 0) {
        std::this_thread::yield();
    }
    {
        std::vector<std::unique_ptr<test::client_socket>> clients;
        for (int i = 0; i < 100; ++i) {
            clients.push_back(std::make_unique<test::client_socket>(port));
            clients.back()->send_all("x");
            REQUIRE(clients.back()->receive(1) == "x"); // its coroutine is running
        }
        loop.stop(); // from this thread: the eventfd wakes the loop
        server_thread.join();
        for (auto& client : clients) {
            CHECK(client->receive_until_closed().empty()); // the server closed every connection
        }
    }
    CHECK(frames_left == 0);
    CHECK(connections_left == 0);
    CHECK(open_fds() == fds_before + 2); // the loop's epoll fd and eventfd remain until it is destroyed
}

TEST_CASE("an idle echo connection costs well under 1 KiB of coroutine frames and socket state") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    std::uint16_t port = listener.port();
    coro::echo_server server(loop, std::move(listener), {});
    auto test = [&]() -> coro::task<std::size_t> {
        std::vector<coro::tcp_stream> clients;
        std::size_t before = 0;
        for (int i = 0; i < 11; ++i) {
            clients.push_back(co_await coro::tcp_stream::connect(loop, "127.0.0.1", port));
            co_await clients.back().write_all(as_bytes("x"));
            co_await clients.back().read_some(); // this connection's coroutine is running and waits again
            if (i == 0) {
                before = coro::live_coroutine_frame_bytes();
            }
        }
        co_return (coro::live_coroutine_frame_bytes() - before) / 10;
    };
    loop.spawn(server.serve());
    std::size_t frame_bytes = loop.block_on(test());
    MESSAGE("coroutine frames per echo connection: "
            << frame_bytes << " bytes; io_state: " << sizeof(coro::io_state)
            << " bytes; read_some awaiter: " << sizeof(coro::tcp_stream::read_awaiter) << " bytes");
    CHECK(frame_bytes > 0);
    CHECK(frame_bytes + sizeof(coro::io_state) < 1024);
}

TEST_CASE("a connection whose reads never have to wait still lets other coroutines run") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    auto test = [&]() -> coro::task<void> {
        stream_pair pair = co_await connect_pair(loop, listener);
        const std::string data(1 << 20, 'z');
        auto writer = [&]() -> coro::task<void> { co_await pair.client.write_all(as_bytes(data)); };
        loop.spawn(writer());
        co_await coro::sleep_for(20ms); // let the kernel queue a lot for the reader
        std::size_t read_so_far = 0;
        std::size_t seen_by_other = 0;
        auto other = [&]() -> coro::task<void> {
            co_await coro::sleep_for(0ms);
            seen_by_other = read_so_far;
        };
        loop.spawn(other());
        std::array<std::byte, 256> small{}; // each read fills the buffer: it never looks "drained"
        while (read_so_far < data.size()) {
            auto bytes = co_await pair.server.read_some(small);
            REQUIRE_FALSE(bytes.empty());
            read_so_far += bytes.size();
        }
        CHECK(seen_by_other > 0);
        CHECK(seen_by_other < 64 * 1024); // it ran long before the reader drained its queue
    };
    loop.block_on(test());
}
