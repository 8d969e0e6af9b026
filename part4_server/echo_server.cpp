// echo_server.cpp: the connection handler and the accept loop.
#include "echo_server.hpp"

#include "sleep.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdio>
#include <optional>

namespace coro {

echo_server::echo_server(event_loop& loop, tcp_listener listener, echo_options options)
    : loop_(&loop), listener_(std::move(listener)), options_(options), slot_freed_(loop) {}

echo_server::connection_slot::~connection_slot() {
    if (server_ != nullptr) {
        --server_->connections_;
        server_->slot_freed_.notify();
    }
}

namespace {
// Echo small messages at once: with Nagle's algorithm on, the kernel may hold a short reply back until the
// previous one is acknowledged, which adds latency to every round trip of a ping-pong client.
void disable_nagle(const tcp_stream& stream) {
    const int one = 1;
    if (::setsockopt(stream.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
        std::perror("setsockopt(TCP_NODELAY)");
    }
}
} // namespace

// Every parameter is taken by value: the frame outlives the accept loop's iteration that spawned it, so a
// reference parameter would dangle after the first suspension. `slot` is held for its destructor.
// snippet-begin: echo_connection
task<void> echo_server::echo_connection(tcp_stream stream, std::chrono::milliseconds idle_timeout,
                                        [[maybe_unused]] connection_slot slot) {
    disable_nagle(stream);
    stream.set_timeout(idle_timeout); // a read or write that waits this long throws timed_out
    for (;;) {
        std::span<const std::byte> bytes = co_await stream.read_some();
        if (bytes.empty()) {
            co_return; // the client half-closed and has everything back; the stream's destructor closes
        }
        co_await stream.write_all(bytes);
    }
}
// snippet-end: echo_connection

// snippet-begin: serve
task<void> echo_server::serve() {
    for (;;) {
        if (connections_ >= options_.max_connections) {
            // Stop accepting: new clients wait in the kernel's backlog until a connection ends.
            co_await slot_freed_.wait();
            continue;
        }
        std::optional<tcp_stream> stream;
        bool out_of_fds = false;
        try {
            stream.emplace(co_await listener_.accept());
        } catch (const std::system_error& e) {
            if (e.code() != std::errc::too_many_files_open &&
                e.code() != std::errc::too_many_files_open_in_system) {
                throw; // operation_canceled at shutdown ends the accept loop
            }
            std::fprintf(stderr, "accept paused for 100 ms: %s\n", e.what());
            out_of_fds = true;
        }
        if (out_of_fds) {
            // co_await is not allowed inside a catch block. Edge-triggered, the pending connection raises
            // no new event, so retry on a timer instead of waiting for one (and instead of spinning).
            co_await sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        loop_->spawn(echo_connection(std::move(*stream), options_.idle_timeout, connection_slot(*this)));
    }
}
// snippet-end: serve

} // namespace coro
