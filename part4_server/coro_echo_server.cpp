// coro_echo_server: the Part 4 echo server. Same command line and behaviour as Parts 1 and 3, plus
// --idle-timeout and --max-connections. All the work is in echo_server.cpp; this file is the CLI.
#include "command_line.hpp"
#include "echo_server.hpp"
#include "event_loop.hpp"
#include "tcp_listener.hpp"

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {

constexpr const char* usage =
    "usage: coro_echo_server [--port N] [--host IPV4] [--idle-timeout SECONDS] "
    "[--max-connections N]\n"
    "  --port N               port to listen on, 0 = any free port (default 7000)\n"
    "  --host IPV4            address to bind (default 127.0.0.1)\n"
    "  --idle-timeout SECONDS close a connection idle this long, 0 = never "
    "(default 60, decimals allowed)\n"
    "  --max-connections N    stop accepting at N open connections (default 10000)\n";

using arguments = coro::server_arguments;

arguments parse(int argc, char** argv) {
    arguments args;
    args.port = 7000;
    coro::command_line("coro_echo_server", usage)
        .parse(argc, argv, args, {}, [](std::string_view, std::string_view) {});
    return args;
}

// Each connection is one fd; the default soft limit (often 1024) would cap us far below 10,000.
void raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int main(int argc, char** argv) {
    arguments args = parse(argc, argv);
    raise_fd_limit();
    try {
        coro::event_loop loop;
        loop.stop_on_signals({SIGINT, SIGTERM});
        coro::tcp_listener listener(loop, args.host, static_cast<std::uint16_t>(args.port));
        std::uint16_t port = listener.port();
        coro::echo_options options;
        options.idle_timeout = std::chrono::milliseconds(static_cast<long long>(args.idle_seconds * 1000));
        options.max_connections = args.max_connections;
        coro::echo_server server(loop, std::move(listener), options);
        loop.spawn(server.serve());
        std::printf("listening on %s:%u\n", args.host.c_str(), static_cast<unsigned>(port));
        std::fflush(stdout);
        loop.run(); // until SIGINT/SIGTERM: then every connection coroutine unwinds and run() returns
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "coro_echo_server: %s\n", e.what());
        return 1;
    }
}
