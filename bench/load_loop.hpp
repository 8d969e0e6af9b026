// load_loop.hpp: one epoll set driving many client connections through the echo protocol.
//
// A connection keeps up to `pipeline` messages in flight: it writes a message, and each time a whole
// message has come back (and been checked byte by byte) it writes the next one. The loop is level-triggered
// and does one recv per readiness event, which keeps every connection's share of the loop fair.
//
// Which messages count: with a duration, those whose echo completes inside the measured window (so a
// server too slow to finish even one warm-up round trip still gets a rate, not a zero); with a message count,
// those *sent* at or after `phase::measure_from`, so that, with a per-connection quota, the total is exact.
#pragma once

#include "latency_histogram.hpp"
#include "payload.hpp"
#include "unique_fd.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

using bench_clock = std::chrono::steady_clock;

inline constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

struct connection {
    enum class state { connecting, open, finished, failed };

    unique_fd sock;
    state status = state::connecting;
    std::size_t index = 0;                    // for error messages
    std::size_t offset = 0;                   // where this connection's stream starts in the payload pool
    std::uint64_t started = 0;                // messages handed to the socket
    std::uint64_t completed = 0;              // messages fully echoed
    std::uint64_t sent = 0;                   // bytes written
    std::uint64_t received = 0;               // bytes read and checked
    std::uint64_t start_limit = unlimited;    // messages this connection may start in total
    std::uint64_t measured_quota = unlimited; // messages it may start once measuring has begun
    std::uint64_t first_measured = unlimited; // index of its first measured message
    bool current_bad = false;                 // the message being received has a wrong byte
    bool watching_out = false;
    bool busy = false;                               // counted in load_loop::busy_
    std::vector<bench_clock::time_point> send_times; // one slot per message in flight
};

// When to measure and when to stop starting new messages.
struct phase {
    bench_clock::time_point measure_from = bench_clock::time_point::max();
    bench_clock::time_point stop_starting_at = bench_clock::time_point::max();
    bool count_by_completion = false; // true: measured = echoed in [measure_from, stop_starting_at)
};

struct load_stats {
    std::uint64_t measured = 0;     // messages sent in the measured phase, all echoed
    std::uint64_t all_messages = 0; // every message echoed, warm-up and ramp included
    std::uint64_t mismatches = 0;   // messages with at least one wrong byte
    std::uint64_t errors = 0;       // connections that failed
    latency_histogram rtt;          // measured messages only, nanoseconds
    bench_clock::time_point last_measured{};

    void merge(const load_stats& other);
};

class load_loop {
public:
    load_loop(const payload_pool& pool, std::size_t message_size, std::size_t pipeline,
              std::chrono::nanoseconds stall_timeout);

    // Watches `c` (connecting or open) from now on. `c` must stay at its address while the loop runs.
    void add(connection& c);

    // Runs until no connection has anything left to do: nothing in flight and nothing it may start.
    void run(const phase& p);

    load_stats& stats() noexcept { return stats_; }

private:
    void handle(connection& c, std::uint32_t events, bench_clock::time_point now);
    void finish_connect(connection& c, bench_clock::time_point now);
    void read_some(connection& c, bench_clock::time_point now);
    void check(connection& c, const unsigned char* data, std::size_t n, bench_clock::time_point now);
    void fill(connection& c, bench_clock::time_point now);
    void flush(connection& c);
    void watch_out(connection& c, bool on);
    bool may_start(const connection& c, bench_clock::time_point now) const;
    void update_busy(connection& c, bench_clock::time_point now);
    void fail(connection& c, std::string_view what, int error);

    const payload_pool& pool_;
    std::size_t message_size_;
    std::size_t pipeline_;
    std::chrono::nanoseconds stall_timeout_;
    unique_fd epoll_;
    std::vector<connection*> connections_;
    std::size_t busy_ = 0;
    phase phase_;
    load_stats stats_;
    std::vector<unsigned char> scratch_;
};

// Prints "loadgen: connection N: what: reason" for the first few failures, so 5 000 refused connections
// do not bury the terminal. Thread-safe.
void log_connection_error(std::size_t index, std::string_view what, int error);
