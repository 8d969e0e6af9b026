// upper_case_lines.hpp (exercise 2): the interface the test calls. Implement it in starter.cpp.
#pragma once

namespace exercise {

// Serves one connection: each complete line comes back upper-cased; "quit" gets "BYE" and ends the session.
// Returns at end of stream or after quit. Throws std::system_error on a connection error.
void serve_upper_case_lines(int fd);

} // namespace exercise
