// Exercise 03, a solution: a count per address, erased at zero.
#include "per_ip_limit.hpp"

bool per_ip_limit::try_acquire(std::uint32_t address) {
    // One lookup: operator[] inserts a zero count for a new address.
    std::size_t& count = open_[address];
    if (count >= max_per_address_) {
        if (count == 0) {
            open_.erase(address); // a limit of 0 must not leave an empty entry behind
        }
        return false;
    }
    ++count;
    return true;
}

void per_ip_limit::release(std::uint32_t address) {
    const auto it = open_.find(address);
    if (it != open_.end() && --it->second == 0) {
        open_.erase(it);
    }
}

std::size_t per_ip_limit::open_from(std::uint32_t address) const {
    const auto it = open_.find(address);
    return it == open_.end() ? 0 : it->second;
}
