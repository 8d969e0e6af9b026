// test_support.hpp (tests): start a server on port 0 and learn its port; loopback clients whose reads and
// writes give up after 10 s, so a server that never answers fails the test instead of hanging it.
#pragma once

#include "address.hpp"
#include "child_process.hpp"
#include "file_descriptor.hpp"
#include "socket_io.hpp"
#include "system_error.hpp"

#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;

inline constexpr auto generous = 10s; // upper bound for anything a working server does in microseconds

struct running_server {
    std::unique_ptr<child_process> process;
    std::uint16_t port = 0;
    std::string listening_line;
};

// Starts `path --port 0 extra...` and waits for its "listening on HOST:PORT" line.
inline running_server start_server(const std::string& path, std::vector<std::string> extra = {},
                                   bool capture_stderr = false) {
    std::vector<std::string> argv{path, "--port", "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    running_server server;
    server.process = std::make_unique<child_process>(argv, capture_stderr);
    auto line = server.process->read_stdout_line(generous);
    REQUIRE_MESSAGE(line.has_value(), path << " printed no 'listening on' line");
    REQUIRE(line->starts_with("listening on "));
    server.listening_line = *line;
    server.port = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
    return server;
}

inline file_descriptor connect_client(std::uint16_t port, const std::string& host = "127.0.0.1") {
    file_descriptor fd = connect_to(host, port);
    timeval limit{10, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    return fd;
}

// Sends `message` and returns what came back in as many bytes (less if the server closed first).
inline std::string round_trip(int fd, const std::string& message) {
    write_all(fd, message);
    std::string echo(message.size(), '\0');
    echo.resize(read_exact(fd, echo));
    return echo;
}

inline std::string read_to_end(int fd) {
    std::string all;
    char chunk[16384];
    while (std::size_t n = read_some(fd, chunk)) {
        all.append(chunk, n);
    }
    return all;
}

// True if data (or end of stream) is waiting right now. Not a timing test: poll with timeout 0 only asks.
inline bool readable_now(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

// Closes with SO_LINGER {on, 0}: the kernel sends RST instead of FIN and drops unsent data. This is what a
// crashing client or a middlebox timing out looks like to the server.
inline void reset_connection(file_descriptor& fd) {
    linger l{1, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    fd.reset();
}

// Distinct, non-repeating-looking bytes so a swapped or dropped chunk cannot compare equal.
inline std::string pattern(std::size_t size, unsigned seed) {
    std::string s(size, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (char& c : s) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>(x >> 24);
    }
    return s;
}
