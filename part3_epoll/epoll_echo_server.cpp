// epoll_echo_server: a single-threaded, non-blocking echo server on an epoll event loop.
// Usage: see usage below. Prints "listening on HOST:PORT" when ready; SIGINT/SIGTERM end it with status 0.
#include "echo_server.hpp"
#include "event_loop.hpp"
#include "net.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

constexpr const char* usage = R"(usage: epoll_echo_server [options]
  --port N               TCP port, 0 = any free port (default 0)
  --host H               IPv4 address to listen on (default 127.0.0.1)
  --edge-triggered       register connections with EPOLLET (default: level-triggered)
  --idle-timeout SECONDS close a connection silent for this long; decimals allowed, 0 = never (default 60)
  --max-connections N    stop accepting while N connections are open (default 10000)
  --help                 print this and exit
)";

struct bad_arguments {
    std::string message;
};

std::uint64_t parse_unsigned(std::string_view flag, const std::string& text, std::uint64_t max) {
    std::size_t used = 0;
    unsigned long long value = 0;
    try {
        value = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || text[0] == '-' || value > max) {
        throw bad_arguments{std::string(flag) + ": not a number in 0.." + std::to_string(max) + ": " + text};
    }
    return value;
}

double parse_seconds(std::string_view flag, const std::string& text) {
    std::size_t used = 0;
    double value = -1;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !(value >= 0) || value > 1e6) {
        throw bad_arguments{std::string(flag) + ": not a number of seconds: " + text};
    }
    return value;
}

server_config parse_arguments(int argc, char** argv) {
    server_config config;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw bad_arguments{std::string(flag) + " needs a value"};
            }
            return argv[++i];
        };
        if (flag == "--help") {
            std::fputs(usage, stdout);
            std::exit(0);
        } else if (flag == "--port") {
            config.port = static_cast<std::uint16_t>(parse_unsigned(flag, value(), 65535));
        } else if (flag == "--host") {
            config.host = value();
        } else if (flag == "--edge-triggered") {
            config.edge_triggered = true;
        } else if (flag == "--idle-timeout") {
            const double seconds = parse_seconds(flag, value());
            config.idle_timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000 + 0.5));
            if (seconds > 0 && config.idle_timeout.count() == 0) {
                config.idle_timeout = std::chrono::milliseconds(1);
            }
        } else if (flag == "--max-connections") {
            config.max_connections = parse_unsigned(flag, value(), 10'000'000);
            if (config.max_connections == 0) {
                throw bad_arguments{"--max-connections must be at least 1"};
            }
        } else {
            throw bad_arguments{"unknown argument: " + std::string(flag) + " (try --help)"};
        }
    }
    return config;
}

} // namespace

int main(int argc, char** argv) {
    server_config config;
    try {
        config = parse_arguments(argc, argv);
    } catch (const bad_arguments& e) {
        std::fprintf(stderr, "epoll_echo_server: %s\n", e.message.c_str());
        return 2;
    }
    try {
        raise_fd_limit();
        event_loop loop;
        loop.stop_on_signals({SIGINT, SIGTERM}); // before anything else could start a thread
        echo_server server(loop, config);
        std::printf("listening on %s:%u\n", config.host.c_str(), static_cast<unsigned>(server.port()));
        std::fflush(stdout);
        loop.run();
        std::fprintf(stderr, "epoll_echo_server: stopping after %zu loop turns\n", loop.turns());
        return 0;
    } catch (const std::invalid_argument& e) { // a --host that is not an address
        std::fprintf(stderr, "epoll_echo_server: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "epoll_echo_server: %s\n", e.what());
        return 1;
    }
}
