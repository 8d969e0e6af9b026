// coro_http_server: a small HTTP/1.1 server on the Part 4 runtime. GET / answers "Hello, World!".
// --threads N runs N event loops on N threads, each with its own SO_REUSEPORT listener on the same port.
#include "http_server.hpp"

#include "command_line.hpp"
#include "event_loop.hpp"
#include "tcp_listener.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

constexpr const char* usage =
    "usage: coro_http_server [--port N] [--host IPV4] [--threads N] [--idle-timeout SECONDS] "
    "[--max-connections N]\n"
    "  --port N               port to listen on, 0 = any free port (default 8080)\n"
    "  --host IPV4            address to bind (default 127.0.0.1)\n"
    "  --threads N            event loops, one per thread, each with its own listener (default 1)\n"
    "  --idle-timeout SECONDS close a keep-alive connection idle this long, and give up on a request that\n"
    "                         takes longer to arrive; 0 = never (default 60, decimals allowed)\n"
    "  --max-connections N    stop accepting at N open connections, shared out across threads (default "
    "10000)\n";

struct arguments : coro::server_arguments {
    unsigned long threads = 1;
};

arguments parse(int argc, char** argv) {
    arguments args;
    args.port = 8080;
    const coro::command_line command_line("coro_http_server", usage);
    command_line.parse(argc, argv, args, {"--threads"}, [&](std::string_view flag, std::string_view value) {
        args.threads = command_line.number<unsigned long>(flag, value);
        if (args.threads == 0 || args.threads > 256) {
            command_line.fail("--threads must be between 1 and 256");
        }
    });
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

// One event loop with its listener and server. Built on the main thread, run on its own thread.
struct shard {
    coro::event_loop loop;
    std::unique_ptr<http::http_server> server;
};

} // namespace

// snippet-begin: main
int main(int argc, char** argv) {
    const arguments args = parse(argc, argv);
    raise_fd_limit();
    try {
        http::server_options options;
        options.idle_timeout = std::chrono::milliseconds(static_cast<long long>(args.idle_seconds * 1000));
        // Each loop gets its share of the limit: no counter shared between threads, nothing to lock.
        options.max_connections = std::max(1UL, args.max_connections / args.threads);

        std::vector<std::unique_ptr<shard>> shards;
        std::uint16_t port = static_cast<std::uint16_t>(args.port);
        for (unsigned long i = 0; i < args.threads; ++i) {
            auto& s = *shards.emplace_back(std::make_unique<shard>());
            if (i == 0) {
                // Before any thread starts, so every thread inherits the blocked signals: SIGINT/SIGTERM
                // then reach only loop 0's signalfd, and loop 0 stops the others.
                s.loop.stop_on_signals({SIGINT, SIGTERM});
            }
            // SO_REUSEPORT: one listening socket per loop, all on one port; the kernel spreads new
            // connections across them, so the loops share nothing. Port 0 is resolved by the first one.
            coro::tcp_listener listener(s.loop, args.host, port, {.reuse_port = true});
            port = listener.port();
            s.server = std::make_unique<http::http_server>(s.loop, std::move(listener), options);
            s.loop.spawn(s.server->serve());
        }
        std::atomic<bool> thread_failed{false};
        std::vector<std::jthread> threads;
        for (unsigned long i = 1; i < args.threads; ++i) {
            threads.emplace_back([&s = *shards[i], &first = shards[0]->loop, &thread_failed] {
                try {
                    s.loop.run();
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "coro_http_server: event loop thread: %s\n", e.what());
                    thread_failed = true;
                    first.stop(); // bring the whole server down rather than serve on with a dead loop
                }
            });
        }
        std::printf("listening on %s:%u\n", args.host.c_str(), static_cast<unsigned>(port));
        std::fflush(stdout);
        shards[0]->loop.run(); // until SIGINT/SIGTERM (or a failed thread)
        for (unsigned long i = 1; i < args.threads; ++i) {
            shards[i]->loop.stop(); // thread-safe: an eventfd write wakes that loop
        }
        threads.clear(); // join them, before the shards they run are destroyed
        return thread_failed ? 1 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "coro_http_server: %s\n", e.what());
        return 1;
    }
}
// snippet-end: main
