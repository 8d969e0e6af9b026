// http_server.cpp: the connection coroutine and the accept loop.
#include "http_server.hpp"

#include "http_batch.hpp"
#include "http_response.hpp"

#include "sleep.hpp"
#include "timeout.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdio>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>

namespace http {
namespace {

std::string_view as_chars(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::byte> as_bytes(std::string_view text) {
    return std::as_bytes(std::span(text));
}

} // namespace

http_server::http_server(coro::event_loop& loop, coro::tcp_listener listener, server_options options)
    : loop_(&loop), listener_(std::move(listener)), options_(options), slot_freed_(loop) {}

http_server::connection_slot::~connection_slot() {
    if (server_ != nullptr) {
        --server_->connections_;
        server_->slot_freed_.notify();
    }
}

// snippet-begin: answer
// The work between a read and a write. Plain functions, not coroutines: their locals live on the stack for
// the call, not in the frame every connection keeps for its whole life.
std::chrono::milliseconds http_server::read_limit(const connection_input& in) const {
    // Between requests a connection may idle for idle_timeout; once a request has begun, all of it must
    // arrive within idle_timeout of its first byte, so a client trickling one byte a minute cannot stay for
    // ever.
    const auto timeout = options_.idle_timeout;
    if (in.pending.empty() || timeout.count() == 0) {
        return timeout;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(in.deadline - coro::clock::now());
    return std::max(left, std::chrono::milliseconds(1)); // 0 would mean "no limit"
}

bool http_server::answer(connection_input& in, std::string_view bytes) {
    // `bytes` is in the loop's shared read buffer. Parse it there; copy only an unfinished tail, because the
    // next read of any connection overwrites that buffer.
    std::string_view input = bytes;
    if (!in.pending.empty()) {
        in.pending.append(bytes);
        input = in.pending;
    } else {
        in.deadline = coro::clock::now() + options_.idle_timeout;
    }
    out_.clear();
    const batch_result batch = answer_batch(in.parser, input, out_, dates_.now());
    if (in.pending.empty()) {
        in.pending.assign(input.substr(batch.consumed));
    } else if (batch.consumed == in.pending.size()) {
        in.pending = std::string(); // give the memory back: an idle connection should own no buffer
    } else {
        in.pending.erase(0, batch.consumed);
    }
    return batch.close;
}

bool http_server::answer_timeout() {
    out_.clear();
    append_response(out_, error_response(408), dates_.now());
    return true;
}
// snippet-end: answer

// GCC 12 with -fsanitize=address inlines the frame allocation of close_gracefully() (task.hpp's class
// operator new, unsized) and its release (sized operator delete) and then calls the pair "mismatched": a
// known false positive (GCC PR 109224). Silenced for this function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Every parameter is taken by value: the frame outlives the accept loop's iteration that spawned it.
// snippet-begin: serve_connection
coro::task<void> http_server::serve_connection(coro::tcp_stream stream, connection_slot slot) {
    http_server& server = slot.server();
    const auto timeout = server.options_.idle_timeout;
    connection_input in{request_parser(server.options_.limits), {}, {}};
    for (;;) {
        std::span<const std::byte> bytes;
        bool timed_out = false;
        try {
            bytes = co_await coro::with_timeout(stream.read_some(), server.read_limit(in));
        } catch (const std::system_error& e) {
            if (e.code() != std::errc::timed_out) {
                throw;
            }
            timed_out = true;
        }
        bool close = false;
        if (timed_out) {
            if (in.pending.empty()) {
                co_return; // an idle keep-alive connection: just close it
            }
            close = server.answer_timeout(); // a request began but did not finish in time: 408
        } else if (bytes.empty()) {
            co_return; // the client closed its side: nothing more will come
        } else {
            close = server.answer(in, as_chars(bytes));
        }
        if (!server.out_.empty()) {
            // One write for every response this read produced: a pipelined burst costs one send.
            co_await coro::with_timeout(stream.write_all(as_bytes(server.out_)), timeout);
        }
        if (close) {
            co_await close_gracefully(stream, timeout);
            co_return;
        }
    }
}
// snippet-end: serve_connection

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// snippet-begin: close_gracefully
// After a response that ends the connection (an error, Connection: close, HTTP/1.0), closing at once would be
// wrong: if unread request bytes sit in our receive queue, close() sends a reset, and a reset can make the
// client's kernel throw away our response before the client has read it. So: send FIN, then read and drop
// what the client still sends until it closes too, for a bounded time.
coro::task<void> http_server::close_gracefully(coro::tcp_stream& stream, std::chrono::milliseconds limit) {
    try {
        stream.shutdown_write();
        const auto linger = std::min(limit, std::chrono::milliseconds(5'000));
        for (int reads = 0; reads < 64; ++reads) {
            const auto bytes = co_await coro::with_timeout(stream.read_some(), linger);
            if (bytes.empty()) {
                break;
            }
        }
    } catch (const std::system_error& e) {
        // The client reset or stalled: it has had its chance to read the response. Not worth a log line,
        // but shutdown (operation_canceled) must still end the coroutine.
        if (e.code() == std::errc::operation_canceled) {
            throw;
        }
    }
}
// snippet-end: close_gracefully

// snippet-begin: serve
coro::task<void> http_server::serve() {
    for (;;) {
        if (connections_ >= options_.max_connections) {
            // Stop accepting: new clients wait in the kernel's backlog until a connection ends.
            co_await slot_freed_.wait();
            continue;
        }
        std::optional<coro::tcp_stream> stream;
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
            co_await coro::sleep_for(std::chrono::milliseconds(100)); // no co_await inside a catch block
            continue;
        }
        // Responses leave in one send per batch, but a client that pipelines may get two batches in a row;
        // without TCP_NODELAY the second would wait for the first one's ACK (Nagle's algorithm).
        const int one = 1;
        if (::setsockopt(stream->native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
            std::perror("setsockopt(TCP_NODELAY)");
        }
        loop_->spawn(serve_connection(std::move(*stream), connection_slot(*this)));
    }
}
// snippet-end: serve

} // namespace http
