// options.hpp: loadgen's command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

struct options {
    std::string host = "127.0.0.1";
    std::string port; // required
    std::size_t connections = 1;
    std::size_t message_size = 64;
    std::size_t pipeline = 1;              // messages in flight per connection
    double duration = 5.0;                 // seconds of measurement, unless `messages` is set
    std::optional<std::uint64_t> messages; // measure exactly this many messages (over all connections)
    double warmup = 1.0;                   // seconds of load before measuring starts
    std::size_t threads = 1;
    std::size_t connect_batch = 128; // connections being opened at once during the ramp
    double timeout = 10.0;           // seconds without any progress before giving up
    bool json = false;
    bool idle = false;
};

// Thrown for a bad command line; main() prints it on one line and exits 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Returns nothing when --help was asked for (the usage text is already printed).
std::optional<options> parse_options(int argc, char** argv);
