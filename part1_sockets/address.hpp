// address.hpp: from a host name and a port to a listening or a connected socket, IPv4 or IPv6.
// getaddrinfo() turns "127.0.0.1", "::1" or "localhost" into a list of candidate addresses; we try them in
// order, so the same code serves both address families and the reader never fills a sockaddr_in by hand.
#pragma once

#include "file_descriptor.hpp"

#include <cstdint>
#include <string>

// A socket bound to host:port and listening, with SO_REUSEADDR set (a restarted server can bind its port
// while the old connections sit in TIME_WAIT). Port 0 asks the kernel for any free port.
file_descriptor listen_on(const std::string& host, std::uint16_t port, int backlog);

// A socket connected to host:port (blocking connect).
file_descriptor connect_to(const std::string& host, std::uint16_t port);

// The socket's own address as "127.0.0.1:7000" or "[::1]:7000": after binding port 0, this is where the
// real port number comes from.
std::string local_endpoint(int fd);
std::uint16_t local_port(int fd);

// The other end's address, for log lines.
std::string peer_endpoint(int fd);
