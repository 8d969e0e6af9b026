#include "upper_case_lines.hpp"

#include "socket_io.hpp"

#include <array>

namespace exercise {

void serve_upper_case_lines(int fd) {
    std::array<char, 4096> buffer;
    while (std::size_t n = read_some(fd, buffer)) {
        // TODO(exercise): this echoes bytes as they arrive. Collect them into lines instead, answer each
        // complete line in upper case, and answer "quit" with "BYE" and return.
        write_all(fd, std::string_view(buffer.data(), n));
    }
}

} // namespace exercise
