// cli.hpp: the command line every server of the tutorial accepts.
//   --port N (0 = any free port)  --host H (default 127.0.0.1)  --help
//   --max-connections N (only servers that have a cap)
// A bad argument is a usage_error; main turns it into one line on stderr and exit status 2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

struct server_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 7000;
    std::size_t max_connections = 4096;
    bool help = false;
};

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Accepts "--name value" and "--name=value". with_max_connections: whether --max-connections is allowed.
server_options parse_server_options(int argc, char** argv, bool with_max_connections);

// Parses a whole decimal number in [min, max]; throws usage_error naming the option otherwise.
std::uint64_t parse_number(const std::string& option, const std::string& text, std::uint64_t min,
                           std::uint64_t max);
