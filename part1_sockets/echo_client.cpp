// echo_client: sends lines to an echo server, checks that each comes back unchanged, and reports the
// round-trip latency.
//   echo_client --port 7000                          lines from stdin, echoes printed to stdout
//   echo_client --port 7000 --message hi --count 1000
// Exit status: 0 all echoes matched, 1 a mismatch or a connection error, 2 bad arguments.
#include "address.hpp"
#include "cli.hpp"
#include "latency_stats.hpp"
#include "socket_io.hpp"

#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

struct client_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 7000;
    std::optional<std::string> message; // unset: read lines from stdin
    std::uint64_t count = 1;
    bool help = false;
};

client_options parse(int argc, char** argv) {
    client_options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw usage_error(arg + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--host") {
            options.host = value();
        } else if (arg == "--port") {
            options.port = static_cast<std::uint16_t>(parse_number(arg, value(), 1, 65535));
        } else if (arg == "--message") {
            options.message = value();
        } else if (arg == "--count") {
            options.count = parse_number(arg, value(), 1, 100'000'000);
        } else {
            throw usage_error("unknown argument '" + arg + "'");
        }
    }
    return options;
}

// snippet-begin: round_trip
// Sends one message and reads until as many bytes came back: the echo may arrive in several pieces.
std::chrono::nanoseconds round_trip(int fd, const std::string& message) {
    auto start = std::chrono::steady_clock::now();
    write_all(fd, message);
    std::string echo(message.size(), '\0');
    std::size_t got = read_exact(fd, echo);
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (got != message.size()) {
        throw std::runtime_error("server closed the connection after " + std::to_string(got) + " of " +
                                 std::to_string(message.size()) + " bytes");
    }
    if (echo != message) {
        throw std::runtime_error("echo mismatch: sent '" + message + "', got '" + echo + "'");
    }
    return elapsed;
}
// snippet-end: round_trip

} // namespace

int main(int argc, char** argv) {
    client_options options;
    try {
        options = parse(argc, argv);
    } catch (const usage_error& e) {
        std::cerr << "echo_client: " << e.what() << " (see --help)\n";
        return 2;
    }
    if (options.help) {
        std::cout << "usage: echo_client [--host H] [--port N] [--message M --count N]\n"
                  << "  without --message, sends each stdin line, prints its echo, latency to stderr\n"
                  << "  with --message, sends M plus a newline N times, prints the latency summary\n";
        return 0;
    }
    try {
        file_descriptor socket = connect_to(options.host, options.port);
        std::vector<std::chrono::nanoseconds> samples;
        if (options.message) {
            std::string line = *options.message + "\n";
            for (std::uint64_t i = 0; i < options.count; ++i) {
                samples.push_back(round_trip(socket.get(), line));
            }
            std::cout << summarize_latency(samples) << std::endl;
        } else {
            for (std::string line; std::getline(std::cin, line);) {
                line += '\n';
                samples.push_back(round_trip(socket.get(), line));
                std::cout << line << std::flush;
            }
            std::cerr << summarize_latency(samples) << std::endl;
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "echo_client: " << e.what() << "\n";
        return 1;
    }
}
