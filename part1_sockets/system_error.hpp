// system_error.hpp: a failed system call becomes an exception that names the call.
// "accept4: Too many open files" tells the reader what failed; a bare errno value does not.
#pragma once

#include <cerrno>
#include <system_error>

// snippet-begin: throw_system_error
// Call it right after the failing call: anything in between (even a log line) may overwrite errno.
[[noreturn]] inline void throw_system_error(const char* call) {
    throw std::system_error(errno, std::generic_category(), call);
}
// snippet-end: throw_system_error
