// coro_echo_client: many concurrent echo connections from one thread, on the same runtime as the server.
// Each connection sends --messages messages of --size bytes, waits for each echo and checks it byte for
// byte; the byte pattern differs per connection, so crossed wires between clients are caught.
// Exit 0 when every byte came back right, 1 otherwise.
#include "event_loop.hpp"
#include "tcp_stream.hpp"

#include <sys/resource.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char* usage = "usage: coro_echo_client [--host IPV4] [--port N] [--connections N] "
                              "[--messages N] [--size BYTES]\n";

struct arguments {
    std::string host = "127.0.0.1";
    unsigned long port = 7000;
    unsigned long connections = 1;
    unsigned long messages = 1000;
    unsigned long size = 64;
};

[[noreturn]] void bad_argument(const std::string& message) {
    std::fprintf(stderr, "coro_echo_client: %s (try --help)\n", message.c_str());
    std::exit(2);
}

arguments parse(int argc, char** argv) {
    arguments args;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "--help") {
            std::fputs(usage, stdout);
            std::exit(0);
        }
        if (i + 1 >= argc) {
            bad_argument("missing value for " + std::string(flag));
        }
        std::string_view value = argv[++i];
        if (flag == "--host") {
            args.host = value;
            continue;
        }
        unsigned long number = 0;
        auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (error != std::errc{} || end != value.data() + value.size()) {
            bad_argument("bad value for " + std::string(flag));
        }
        if (flag == "--port" && number <= 65535) {
            args.port = number;
        } else if (flag == "--connections" && number > 0) {
            args.connections = number;
        } else if (flag == "--messages") {
            args.messages = number;
        } else if (flag == "--size" && number > 0) {
            args.size = number;
        } else {
            bad_argument("bad option or value: " + std::string(flag) + " " + std::string(value));
        }
    }
    return args;
}

struct totals {
    unsigned long finished = 0;
    unsigned long failed = 0;
};

std::byte pattern(unsigned long connection, unsigned long message, std::size_t i) {
    return static_cast<std::byte>((connection * 131 + message * 7 + i) & 0xff);
}

// args and results are references: main's locals, which outlive loop.run() and so every connection.
coro::task<void> one_connection(coro::event_loop& loop, const arguments& args, unsigned long id,
                                totals& results) {
    try {
        coro::tcp_stream stream =
            co_await coro::tcp_stream::connect(loop, args.host, static_cast<std::uint16_t>(args.port));
        std::vector<std::byte> out(args.size);
        std::vector<std::byte> in(args.size);
        for (unsigned long m = 0; m < args.messages; ++m) {
            for (std::size_t i = 0; i < out.size(); ++i) {
                out[i] = pattern(id, m, i);
            }
            co_await stream.write_all(out);
            std::size_t got = 0;
            while (got < in.size()) {
                auto bytes = co_await stream.read_some(std::span(in).subspan(got));
                if (bytes.empty()) {
                    throw std::runtime_error("the server closed the connection early");
                }
                got += bytes.size();
            }
            if (in != out) {
                throw std::runtime_error("the echo differs from what was sent");
            }
        }
        ++results.finished;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "connection %lu: %s\n", id, e.what());
        ++results.failed;
    }
}

} // namespace

int main(int argc, char** argv) {
    arguments args = parse(argc, argv);
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    totals results;
    coro::event_loop loop;
    for (unsigned long id = 0; id < args.connections; ++id) {
        loop.spawn(one_connection(loop, args, id, results));
    }
    auto start = std::chrono::steady_clock::now();
    loop.run();
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    double total_messages = static_cast<double>(results.finished) * static_cast<double>(args.messages);
    std::printf("%lu connections x %lu messages of %lu bytes: %lu ok, %lu failed, %.3f s, %.0f messages/s\n",
                args.connections, args.messages, args.size, results.finished, results.failed, elapsed.count(),
                total_messages / elapsed.count());
    return results.failed == 0 && results.finished == args.connections ? 0 : 1;
}
