// echo_server.hpp: the non-blocking echo server as a set of callbacks on an event_loop.
// One listener handler accepts; one connection handler per client echoes. The state of a connection lives in
// member variables because no function stays on the stack between two events: that is what Part 4 changes.
#pragma once

#include "event_loop.hpp"
#include "fd.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct server_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    bool edge_triggered = false;
    std::chrono::milliseconds idle_timeout{60'000}; // zero: no idle timeout
    std::size_t max_connections = 10'000;
};

class echo_server;

// snippet-begin: connection
class connection final : public io_handler {
public:
    connection(echo_server& server, unique_fd fd, std::size_t slot);
    void on_events(std::uint32_t events) override;

private:
    friend class echo_server;
    // Each returns false when it closed (and so destroyed) the connection: the caller must return at once.
    bool on_readable(std::uint32_t events);
    bool on_writable();
    bool send_or_queue(const char* data, std::size_t size);
    bool update_interest();
    void on_idle_timer();

    echo_server& server_;
    unique_fd fd_;
    std::size_t slot_;             // index in the server's table, for O(1) removal
    std::vector<char> pending_;    // output the peer has not taken yet; empty for a healthy client
    std::size_t pending_sent_ = 0; // how much of pending_ has been written
    std::uint32_t interest_ = 0;   // what epoll is watching for, so we call epoll_ctl only on change
    bool reading_paused_ = false;  // backpressure: too much pending output
    bool peer_closed_ = false;     // the peer sent FIN: finish echoing, then close
    event_loop::clock::time_point last_active_;
    timer idle_timer_;
};
// snippet-end: connection

class echo_server final : public io_handler {
public:
    // Pending output above which a connection stops reading (backpressure), and below which it resumes.
    static constexpr std::size_t high_water_mark = 256 * 1024;
    static constexpr std::size_t low_water_mark = 64 * 1024;
    static constexpr std::size_t read_buffer_size = 64 * 1024;
    // Edge-triggered: reads per wakeup before a connection yields to the others.
    static constexpr int reads_per_wakeup = 16;

    echo_server(event_loop& loop, server_config config);
    ~echo_server();
    echo_server(const echo_server&) = delete;
    echo_server& operator=(const echo_server&) = delete;

    std::uint16_t port() const { return port_; }
    std::size_t connection_count() const { return connections_.size(); }

    void on_events(std::uint32_t events) override; // the listener is readable: accept

private:
    friend class connection;
    void close_connection(connection& c, const char* why);
    void pause_accepting(const char* why);
    void resume_accepting();

    event_loop& loop_;
    server_config config_;
    unique_fd listener_;
    std::uint16_t port_ = 0;
    std::vector<std::unique_ptr<connection>> connections_;
    // One read buffer for every connection: the loop runs one handler at a time, and bytes that cannot be
    // sent at once are copied into that connection's pending_. An idle connection owns no buffer at all.
    std::vector<char> read_buffer_;
    bool listening_ = true; // the listener is in the epoll set (false while accepting is paused)
    timer accept_retry_;    // after EMFILE/ENFILE: try accepting again later instead of spinning
};
