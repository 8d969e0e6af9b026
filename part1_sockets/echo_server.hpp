// echo_server.hpp: the iterative echo server. One client at a time: while it serves one connection, the
// next ones wait in the listen backlog, connected as far as the kernel is concerned but never read.
#pragma once

#include "cli.hpp"
#include "file_descriptor.hpp"

#include <cstdint>
#include <string>

class echo_server {
public:
    // Binds and listens right away, so the port is known (and taken) before run().
    explicit echo_server(const server_options& options);

    std::string local_address() const; // "127.0.0.1:41234": the port the kernel picked for --port 0
    std::uint16_t port() const;

    // Serves clients one after another until stop_fd becomes readable. Per-connection errors are logged and
    // the server goes on; on return every client socket has been closed.
    void run(int stop_fd);

private:
    file_descriptor listener_;
};
