// log.hpp: one line on stderr per event, written with a single write(2).
// Connection threads log concurrently; a single write of a short line is not interleaved with another
// thread's line, while `std::cerr << a << b` may be (each << is a separate write).
#pragma once

#include <unistd.h>

#include <string>

inline void log_line(std::string line) {
    line += '\n';
    // A failed log write has nowhere better to be reported: ignoring the result is deliberate.
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
}
