// payload.hpp: the bytes loadgen sends, so that every echoed byte can be checked.
//
// Each connection sends an endless pseudo-random byte stream and expects the same stream back. Keeping one
// buffer per connection would cost 5 000 x (message size) or more; instead all connections read from one
// shared pool of random bytes, each starting at its own random offset. A server that mixes up two
// connections, drops, repeats or reorders bytes, or echoes an old message, sends bytes that differ from
// the expected position in the pool. The pool length is odd, so it is never a multiple of the message size:
// message j and message j + (pool / size) do not line up on the same bytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

// A small, fast, well-mixed generator (splitmix64); the benchmark needs variety, not cryptography.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class payload_pool {
public:
    static constexpr std::size_t size = (std::size_t{1} << 20) + 7;

    payload_pool() : bytes_(size) {
        std::uint64_t state = 0x5eed;
        for (auto& b : bytes_) {
            b = static_cast<unsigned char>(splitmix64(state) >> 56);
        }
    }

    // Where connection number `index` starts reading the pool.
    static std::size_t offset_for(std::size_t index) noexcept {
        std::uint64_t state = index * 7919 + 1;
        return static_cast<std::size_t>(splitmix64(state) % size);
    }

    // The stream bytes at stream position `pos` for a connection starting at `offset`: as many of `max` as
    // are contiguous in the pool (the stream wraps around its end, so a caller may need two calls).
    std::span<const unsigned char> at(std::size_t offset, std::uint64_t pos, std::size_t max) const noexcept {
        const auto start = static_cast<std::size_t>((offset + pos) % size);
        return {bytes_.data() + start, std::min(max, size - start)};
    }

private:
    std::vector<unsigned char> bytes_;
};
