// echo_server.hpp: the Part 4 echo server as a piece of a program: an accept loop that spawns one
// connection coroutine per client, with a connection limit and an idle timeout.
#pragma once

#include "event_loop.hpp"
#include "notifier.hpp"
#include "task.hpp"
#include "tcp_listener.hpp"
#include "tcp_stream.hpp"

#include <chrono>
#include <cstddef>

namespace coro {

struct echo_options {
    std::chrono::milliseconds idle_timeout{60'000}; // zero: never time out
    std::size_t max_connections = 10'000;
};

class echo_server {
public:
    echo_server(event_loop& loop, tcp_listener listener, echo_options options);

    // The accept loop. Spawn it on the loop; it ends (operation_canceled) when the loop stops.
    task<void> serve();
    std::size_t connections() const noexcept { return connections_; }

private:
    // Counts a connection for as long as its coroutine lives, and wakes a paused accept loop when it ends.
    class connection_slot {
    public:
        explicit connection_slot(echo_server& server) noexcept : server_(&server) { ++server.connections_; }
        connection_slot(connection_slot&& other) noexcept : server_(std::exchange(other.server_, nullptr)) {}
        connection_slot& operator=(connection_slot&&) = delete;
        ~connection_slot();

    private:
        echo_server* server_;
    };

    static task<void> echo_connection(tcp_stream stream, std::chrono::milliseconds idle_timeout,
                                      connection_slot slot);

    event_loop* loop_;
    tcp_listener listener_;
    echo_options options_;
    std::size_t connections_ = 0;
    notifier slot_freed_;
};

} // namespace coro
