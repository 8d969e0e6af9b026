// coro_echo_server: the Part 4 echo server. Same command line and behaviour as Parts 1 and 3, plus
// --idle-timeout and --max-connections. All the work is in echo_server.cpp; this file is the CLI.
#include "echo_server.hpp"
#include "event_loop.hpp"
#include "tcp_listener.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
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

struct arguments {
    std::string host = "127.0.0.1";
    unsigned long port = 7000;
    double idle_seconds = 60;
    unsigned long max_connections = 10'000;
};

[[noreturn]] void bad_argument(const std::string& message) {
    std::fprintf(stderr, "coro_echo_server: %s (try --help)\n", message.c_str());
    std::exit(2);
}

template <typename Number>
Number parse_number(std::string_view flag, std::string_view text) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        bad_argument("bad value for " + std::string(flag) + ": '" + std::string(text) + "'");
    }
    return value;
}

arguments parse(int argc, char** argv) {
    arguments args;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "--help") {
            std::fputs(usage, stdout);
            std::exit(0);
        }
        constexpr std::string_view known[] = {"--port", "--host", "--idle-timeout", "--max-connections"};
        if (std::find(std::begin(known), std::end(known), flag) == std::end(known)) {
            bad_argument("unknown option '" + std::string(flag) + "'");
        }
        if (i + 1 >= argc) {
            bad_argument("missing value for " + std::string(flag));
        }
        std::string_view value = argv[++i];
        if (flag == "--port") {
            args.port = parse_number<unsigned long>(flag, value);
            if (args.port > 65535) {
                bad_argument("port out of range: " + std::string(value));
            }
        } else if (flag == "--host") {
            args.host = value;
        } else if (flag == "--idle-timeout") {
            args.idle_seconds = parse_number<double>(flag, value);
            if (!(args.idle_seconds >= 0 && args.idle_seconds < 1e7)) {
                bad_argument("--idle-timeout must be between 0 and 10000000 seconds");
            }
        } else if (flag == "--max-connections") {
            args.max_connections = parse_number<unsigned long>(flag, value);
            if (args.max_connections == 0) {
                bad_argument("--max-connections must be at least 1");
            }
        }
    }
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
