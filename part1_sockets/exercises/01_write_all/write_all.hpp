// write_all.hpp (exercise 1): the interface the test calls. Implement it in starter.cpp.
#pragma once

#include <string_view>

namespace exercise {

// Sends every byte of data on fd, which may be blocking or non-blocking. Throws std::system_error on errors.
void write_all(int fd, std::string_view data);

} // namespace exercise
