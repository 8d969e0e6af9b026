// Exercise 03: a per-IP connection limit (see README.md).
#include "per_ip_limit.hpp"

bool per_ip_limit::try_acquire(std::uint32_t address) {
    // TODO(exercise): count the connection in open_, and refuse (return false) when `address` already has
    // max_per_address_ open connections.
    (void)address;
    return true;
}

void per_ip_limit::release(std::uint32_t address) {
    // TODO(exercise): uncount it; drop the entry when it reaches zero.
    (void)address;
}

std::size_t per_ip_limit::open_from(std::uint32_t address) const {
    const auto it = open_.find(address);
    return it == open_.end() ? 0 : it->second;
}
