// threaded_echo_server.hpp: one thread per connection. Each thread runs the same blocking echo loop as the
// iterative server, so a slow client only blocks its own thread. The price: a thread (stack, kernel task,
// scheduler work) per connected client, capped by --max-connections.
#pragma once

#include "cli.hpp"
#include "file_descriptor.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class threaded_echo_server {
public:
    explicit threaded_echo_server(const server_options& options);
    ~threaded_echo_server(); // if run() threw, still shuts down and joins every connection thread

    std::string local_address() const;
    std::uint16_t port() const;

    // Accepts and serves until stop_fd becomes readable. On return every client socket is closed and every
    // connection thread joined: nothing of a connection outlives the server.
    void run(int stop_fd);

    // Connections whose thread has not been joined yet (running, or finished and about to be reaped).
    std::size_t connection_count();

private:
    // snippet-begin: connection
    struct connection {
        std::thread thread;
        // Owned here, not by the thread: shutdown_all() may still shutdown(2) it, and a number that was
        // already closed could by then belong to someone else's new connection.
        file_descriptor socket;
    };
    // snippet-end: connection

    void start_connection(file_descriptor client);
    void serve(std::uint64_t id, int client, const std::string& peer);
    void reap_finished();
    void shutdown_all();

    file_descriptor listener_;
    file_descriptor finished_event_; // eventfd: readable when a connection thread has finished
    std::size_t max_connections_;

    std::mutex mutex_;
    std::map<std::uint64_t, connection> connections_; // guarded by mutex_, includes finished, unjoined ones
    std::vector<std::uint64_t> finished_;             // guarded by mutex_: ids waiting to be joined
    std::uint64_t next_id_ = 0;
};
