// echo_load: a small load client for measuring an echo server by hand (not a test, not the shared load
// generator). Each of --connections clients sends a --size byte message, waits for its echo, and repeats
// --messages times (ping-pong). Prints the message rate. --hold N instead opens N idle connections and
// keeps them until stdin closes, for measuring the server's memory per idle connection.
#include "fd.hpp"
#include "net.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

unique_fd connect_blocking(const std::string& host, std::uint16_t port) {
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        throw_errno("socket");
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        throw_errno("connect");
    }
    const int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

struct client {
    unique_fd fd;
    std::size_t received = 0; // of the current message
    std::size_t done = 0;     // messages completed
};

} // namespace

int main(int argc, char** argv) {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::size_t connections = 1, messages = 10000, size = 64, hold = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--host") {
            host = value;
        } else if (flag == "--port") {
            port = static_cast<std::uint16_t>(std::stoul(value));
        } else if (flag == "--connections") {
            connections = std::stoul(value);
        } else if (flag == "--messages") {
            messages = std::stoul(value);
        } else if (flag == "--size") {
            size = std::stoul(value);
        } else if (flag == "--hold") {
            hold = std::stoul(value);
        } else {
            std::fprintf(stderr, "echo_load: unknown argument %s\n", flag.c_str());
            return 2;
        }
    }
    if (port == 0) {
        std::fprintf(stderr,
                     "usage: echo_load --port N [--connections C --messages M --size S | --hold N]\n");
        return 2;
    }
    try {
        raise_fd_limit();
        if (hold > 0) {
            std::vector<unique_fd> idle;
            for (std::size_t i = 0; i < hold; ++i) {
                idle.push_back(connect_blocking(host, port));
            }
            std::printf("holding %zu connections; close stdin to end\n", hold);
            std::fflush(stdout);
            std::string line;
            while (std::getline(std::cin, line)) {
            }
            return 0;
        }
        unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
        std::vector<client> clients(connections);
        const std::string message(size, 'm');
        std::vector<char> buf(size);
        for (auto& c : clients) {
            c.fd = connect_blocking(host, port);
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.ptr = &c;
            if (::epoll_ctl(ep.get(), EPOLL_CTL_ADD, c.fd.get(), &ev) != 0) {
                throw_errno("epoll_ctl");
            }
        }
        const auto start = std::chrono::steady_clock::now();
        for (auto& c : clients) { // small messages: one send always fits the socket buffer
            if (::send(c.fd.get(), message.data(), size, MSG_NOSIGNAL) != static_cast<ssize_t>(size)) {
                throw_errno("send");
            }
        }
        std::size_t finished = 0;
        std::vector<epoll_event> events(256);
        while (finished < connections) {
            const int n = ::epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), 10000);
            if (n <= 0) {
                throw std::runtime_error("no echo for 10 s");
            }
            for (int i = 0; i < n; ++i) {
                auto& c = *static_cast<client*>(events[i].data.ptr);
                const ssize_t got = ::read(c.fd.get(), buf.data(), size - c.received);
                if (got <= 0) {
                    throw std::runtime_error("server closed the connection");
                }
                c.received += static_cast<std::size_t>(got);
                if (c.received < size) {
                    continue;
                }
                c.received = 0;
                if (++c.done == messages) {
                    ++finished;
                    ::epoll_ctl(ep.get(), EPOLL_CTL_DEL, c.fd.get(), nullptr);
                } else if (::send(c.fd.get(), message.data(), size, MSG_NOSIGNAL) !=
                           static_cast<ssize_t>(size)) {
                    throw_errno("send");
                }
            }
        }
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        const double total = static_cast<double>(connections * messages);
        std::printf("connections=%zu messages=%zu size=%zu seconds=%.3f messages_per_s=%.0f\n", connections,
                    connections * messages, size, took.count(), total / took.count());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "echo_load: %s\n", e.what());
        return 1;
    }
}
