// drain.hpp: one wakeup's worth of reading for an edge-triggered handler.
#pragma once

#include <cstddef>
#include <string>

// How much one read() asks for.
inline constexpr std::size_t drain_chunk = 16 * 1024;

struct drain_result {
    std::size_t bytes = 0; // appended to `out` by this call
    bool eof = false;      // read() returned 0: the peer will send nothing more
    bool more = false;     // stopped because the budget ran out: data may still be waiting
};

// Reads the non-blocking descriptor fd into `out`, drain_chunk bytes per read(), until read() fails with
// EAGAIN (drained), returns 0 (end of stream), or `budget` reads have been made.
drain_result drain(int fd, std::string& out, int budget);
