// fd_limit.hpp: every connection costs one file descriptor, and the default soft limit is often 1024.
// The hard limit (set by the administrator) is usually far higher; a server raises its soft limit to it.
#pragma once

#include "system_error.hpp"

#include <sys/resource.h>

// snippet-begin: raise_fd_limit
// Returns the new soft limit: the most descriptors this process may have open at once.
inline rlim_t raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) < 0) {
        throw_system_error("getrlimit(RLIMIT_NOFILE)");
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) < 0) {
            throw_system_error("setrlimit(RLIMIT_NOFILE)");
        }
    }
    return limit.rlim_cur;
}
// snippet-end: raise_fd_limit
