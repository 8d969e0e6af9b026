// http_server.hpp: the HTTP server on one event loop: an accept loop that spawns one coroutine per
// connection. A program with N threads runs N of these, one per loop, each with its own listener.
#pragma once

#include "http_date.hpp"
#include "http_parser.hpp"

#include "event_loop.hpp"
#include "notifier.hpp"
#include "task.hpp"
#include "tcp_listener.hpp"
#include "tcp_stream.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace http {

struct server_options {
    // Closes a keep-alive connection that sends nothing for this long, and bounds how long one request may
    // take to arrive (slow clients get a 408). Zero: never.
    std::chrono::milliseconds idle_timeout{60'000};
    std::size_t max_connections = 10'000; // this loop's share: accept pauses at the limit
    parser_limits limits;
};

class http_server {
public:
    http_server(coro::event_loop& loop, coro::tcp_listener listener, server_options options);

    // The accept loop. Spawn it on the loop; it ends (operation_canceled) when the loop stops.
    coro::task<void> serve();
    std::size_t connections() const noexcept { return connections_; }

private:
    // Counts a connection for as long as its coroutine lives, and wakes a paused accept loop when it ends.
    // It is also the coroutine's way to its server: the server outlives every connection, because the loop
    // finishes (or destroys) every connection coroutine before run() returns.
    class connection_slot {
    public:
        explicit connection_slot(http_server& server) noexcept : server_(&server) { ++server.connections_; }
        connection_slot(connection_slot&& other) noexcept : server_(std::exchange(other.server_, nullptr)) {}
        connection_slot& operator=(connection_slot&&) = delete;
        ~connection_slot();
        http_server& server() const noexcept { return *server_; }

    private:
        http_server* server_;
    };

    // What a connection keeps between two reads, besides its socket. It lives in every connection's
    // coroutine frame, so it stays small: an idle connection has an empty `pending` (no heap memory).
    struct connection_input {
        request_parser parser;
        std::string pending;              // the start of a request that has not fully arrived
        coro::clock::time_point deadline; // when that request must be complete
    };

    static coro::task<void> serve_connection(coro::tcp_stream stream, connection_slot slot);
    std::chrono::milliseconds read_limit(const connection_input& in) const;
    // Parses `bytes`, appends every response to out_, keeps an unfinished tail; true: close after writing.
    bool answer(connection_input& in, std::string_view bytes);
    bool answer_timeout();
    static coro::task<void> close_gracefully(coro::tcp_stream& stream, std::chrono::milliseconds limit);

    coro::event_loop* loop_;
    coro::tcp_listener listener_;
    server_options options_;
    std::size_t connections_ = 0;
    coro::notifier slot_freed_;
    date_cache dates_;
    // Shared by every connection of this loop: write_all() either sends the bytes or copies what is left
    // before it suspends, so the buffer is free again as soon as a co_await on it returns or suspends.
    std::string out_;
};

} // namespace http
