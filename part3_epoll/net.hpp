// net.hpp: the few socket helpers the chapter's programs share (listening socket, fd limit).
#pragma once

#include "fd.hpp"

#include <cstdint>
#include <string>

// The accept queue length we ask for; the kernel caps it at net.core.somaxconn (4096 since Linux 5.4).
inline constexpr int default_backlog = 4096;

// A non-blocking listening TCP socket on host:port (port 0: the kernel picks a free one), SO_REUSEADDR set.
unique_fd listen_tcp(const std::string& host, std::uint16_t port, int backlog = default_backlog);

// The port the kernel actually bound (the answer to --port 0).
std::uint16_t local_port(int fd);

// An event-loop server holds one descriptor per client: raise the soft RLIMIT_NOFILE to the hard limit.
// Returns the new soft limit.
std::uint64_t raise_fd_limit();
