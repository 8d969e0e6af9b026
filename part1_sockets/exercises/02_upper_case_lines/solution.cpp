#include "upper_case_lines.hpp"

#include "socket_io.hpp"

#include <array>
#include <cctype>
#include <string>

namespace exercise {

void serve_upper_case_lines(int fd) {
    std::array<char, 4096> buffer;
    std::string pending; // received, not yet a complete line
    while (std::size_t n = read_some(fd, buffer)) {
        pending.append(buffer.data(), n);
        // One read may hold several lines, or none: answer every complete one, keep the rest.
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
            std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            if (line == "quit") {
                write_all(fd, "BYE\n");
                return;
            }
            for (char& c : line) {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
            write_all(fd, line + "\n");
        }
    }
}

} // namespace exercise
