// accept_policy.hpp: accept what is waiting, and refuse politely past a connection limit.
#pragma once

#include "fd.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

// What a refused client reads before the server closes the connection.
inline constexpr std::string_view busy_message = "server busy, try again later\n";

// Accepts every connection waiting on the non-blocking listener (until accept4 fails with EAGAIN). While
// `open` plus the ones accepted by this call is below `max_open`, a new connection is appended to
// `accepted`; past that, it is sent busy_message and closed. Returns how many were refused.
std::size_t accept_pending(int listener, std::size_t open, std::size_t max_open,
                           std::vector<unique_fd>& accepted);
