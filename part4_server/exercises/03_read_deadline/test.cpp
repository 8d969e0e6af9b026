// Exercise 03 test: a deadline bounds the whole read, not each piece of it.
#include "read_exactly.hpp"

#include "event_loop.hpp"
#include "sleep.hpp"
#include "tcp_listener.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace std::chrono_literals;

namespace {

// Sends `text` one byte at a time, `gap` apart: each byte arrives well within any per-read timeout.
coro::task<void> trickle(coro::event_loop& loop, std::uint16_t port, std::string text,
                         std::chrono::milliseconds gap) {
    coro::tcp_stream stream = co_await coro::tcp_stream::connect(loop, "127.0.0.1", port);
    for (char c : text) {
        co_await stream.write_all(std::as_bytes(std::span(&c, 1)));
        co_await coro::sleep_for(gap);
    }
    co_await coro::sleep_for(5s); // keep the connection open: the reader must not see end of stream
}

} // namespace

TEST_CASE("read_exactly returns the bytes when they all arrive in time") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    loop.spawn(trickle(loop, listener.port(), "hello world", 1ms));
    auto read = [&]() -> coro::task<std::string> {
        coro::tcp_stream stream = co_await listener.accept();
        co_return co_await read_exactly(stream, 5, coro::clock::now() + 10s);
    };
    CHECK(loop.block_on(read()) == "hello");
}

TEST_CASE("a client that trickles bytes cannot stretch the deadline") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    loop.spawn(trickle(loop, listener.port(), std::string(40, 'x'), 25ms)); // a whole second in total
    auto read = [&]() -> coro::task<std::error_code> {
        coro::tcp_stream stream = co_await listener.accept();
        try {
            co_await read_exactly(stream, 40, coro::clock::now() + 200ms);
        } catch (const std::system_error& e) {
            co_return e.code();
        }
        co_return std::error_code{};
    };
    auto start = std::chrono::steady_clock::now();
    CHECK(loop.block_on(read()) == std::errc::timed_out);
    CHECK(std::chrono::steady_clock::now() - start < 900ms);
}
