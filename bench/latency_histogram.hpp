// latency_histogram.hpp: round-trip times in a fixed-size, mergeable histogram.
//
// Storing every sample costs 8 bytes a message (gigabytes over a long run at high rates). Buckets with a
// log-linear layout keep about 3 % relative precision at any magnitude in 15 KiB, and two threads'
// histograms are merged by adding counts. The maximum is kept exactly, since it is the number a reader
// looks at to spot a stall.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

class latency_histogram {
public:
    void add(std::uint64_t nanoseconds) noexcept {
        ++counts_[index_of(nanoseconds)];
        ++total_;
        max_ = std::max(max_, nanoseconds);
    }

    void merge(const latency_histogram& other) noexcept {
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            counts_[i] += other.counts_[i];
        }
        total_ += other.total_;
        max_ = std::max(max_, other.max_);
    }

    std::uint64_t count() const noexcept { return total_; }
    std::uint64_t max() const noexcept { return max_; }

    // The value below which a fraction q (0..1] of the samples fall: the middle of the bucket that holds
    // the ceil(q * count)-th smallest sample, never above the exact maximum.
    std::uint64_t quantile(double q) const noexcept {
        if (total_ == 0) {
            return 0;
        }
        const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * total_)));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            seen += counts_[i];
            if (seen >= rank) {
                return std::min(max_, middle_of(i));
            }
        }
        return max_;
    }

private:
    static constexpr unsigned sub_bits = 5; // 32 buckets per power of two
    static constexpr std::uint64_t sub_count = std::uint64_t{1} << sub_bits;

    static std::size_t index_of(std::uint64_t v) noexcept {
        if (v < sub_count) {
            return static_cast<std::size_t>(v);
        }
        const unsigned exponent = 63 - static_cast<unsigned>(std::countl_zero(v)); // >= sub_bits
        const std::uint64_t sub = (v >> (exponent - sub_bits)) & (sub_count - 1);
        return static_cast<std::size_t>((exponent - sub_bits + 1) * sub_count + sub);
    }

    static std::uint64_t middle_of(std::size_t index) noexcept {
        if (index < sub_count) {
            return index;
        }
        const unsigned exponent = static_cast<unsigned>(index / sub_count) + sub_bits - 1;
        const std::uint64_t sub = index % sub_count;
        const std::uint64_t width = std::uint64_t{1} << (exponent - sub_bits);
        const std::uint64_t low = (std::uint64_t{1} << exponent) + sub * width;
        return low + width / 2;
    }

    std::array<std::uint64_t, (64 - sub_bits + 1) * sub_count> counts_{};
    std::uint64_t total_ = 0;
    std::uint64_t max_ = 0;
};
