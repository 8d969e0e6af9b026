// server_main.hpp: the part of main() both servers share: parse the command line, raise the fd limit,
// arrange for SIGINT/SIGTERM to stop the server, print the "listening on" line, run, exit 0.
// Server is echo_server or threaded_echo_server: anything constructible from server_options with
// local_address() and run(stop_fd).
#pragma once

#include "cli.hpp"
#include "fd_limit.hpp"
#include "stop_event.hpp"
#include "stop_signals.hpp"

#include <exception>
#include <iostream>
#include <string>

// snippet-begin: server_main
template <typename Server>
int server_main(int argc, char** argv, const char* name, bool with_max_connections) {
    server_options options;
    try {
        options = parse_server_options(argc, argv, with_max_connections);
    } catch (const usage_error& e) {
        std::cerr << name << ": " << e.what() << " (see --help)\n";
        return 2;
    }
    if (options.help) {
        std::cout << "usage: " << name << " [--port N] [--host H]"
                  << (with_max_connections ? " [--max-connections N]" : "") << "\n"
                  << "  --port N             port to listen on, 0 = any free port (default 7000)\n"
                  << "  --host H             address to listen on, IPv4 or IPv6 (default 127.0.0.1)\n"
                  << (with_max_connections
                          ? "  --max-connections N  connections served at once (default 4096)\n"
                          : "")
                  << "Prints 'listening on HOST:PORT' when ready; SIGINT/SIGTERM stop it (exit status 0).\n";
        return 0;
    }
    try {
        raise_fd_limit();
        stop_event stop;
        stop_on_signals(stop);
        Server server(options);
        // std::endl flushes: a test (or a script) waiting for this line through a pipe must get it now.
        std::cout << "listening on " << server.local_address() << std::endl;
        server.run(stop.fd());
        return 0;
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n"; // e.g. "bind: Address already in use"
        return 1;
    }
}
// snippet-end: server_main
