// Exercise 01 test: lines split across writes and several lines in one write come out one by one.
#include "read_line.hpp"

#include "event_loop.hpp"
#include "sleep.hpp"
#include "tcp_listener.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <vector>

namespace {

coro::task<void> send_slowly(coro::event_loop& loop, std::uint16_t port, std::vector<std::string> pieces) {
    coro::tcp_stream stream = co_await coro::tcp_stream::connect(loop, "127.0.0.1", port);
    for (const std::string& piece : pieces) {
        co_await stream.write_all(std::as_bytes(std::span(piece)));
        co_await coro::sleep_for(std::chrono::milliseconds(5)); // separate reads on the other side
    }
}

} // namespace

TEST_CASE("read_line returns each line once, however the bytes were split") {
    coro::event_loop loop;
    coro::tcp_listener listener(loop, "127.0.0.1", 0);
    loop.spawn(send_slowly(loop, listener.port(), {"hel", "lo\nwor", "ld\n\nthree\nfour\n", "last"}));
    auto collect = [&]() -> coro::task<std::vector<std::string>> {
        coro::tcp_stream stream = co_await listener.accept();
        line_reader reader{stream, {}};
        std::vector<std::string> lines;
        for (int i = 0; i < 20; ++i) { // bounded: a wrong read_line cannot loop forever
            std::optional<std::string> line = co_await read_line(reader);
            if (!line) {
                break;
            }
            lines.push_back(*line);
        }
        co_return lines;
    };
    CHECK(loop.block_on(collect()) ==
          std::vector<std::string>{"hello", "world", "", "three", "four", "last"});
}
