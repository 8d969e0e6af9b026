// per_ip_limit.hpp: at most N open connections per client address. One per event loop: no locking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

class per_ip_limit {
public:
    explicit per_ip_limit(std::size_t max_per_address) : max_per_address_(max_per_address) {}

    // Counts a new connection from `address` (IPv4, any byte order, used as a key). false: that address is
    // already at its limit, and nothing was counted: the caller closes the new connection.
    bool try_acquire(std::uint32_t address);
    // A connection from `address` ended (only called after a successful try_acquire).
    void release(std::uint32_t address);
    // Addresses with at least one open connection. An address whose last connection ended must not keep
    // an entry: a server sees millions of addresses over its life.
    std::size_t tracked_addresses() const { return open_.size(); }
    std::size_t open_from(std::uint32_t address) const;

private:
    std::size_t max_per_address_;
    std::unordered_map<std::uint32_t, std::size_t> open_;
};
