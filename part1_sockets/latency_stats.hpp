// latency_stats.hpp: summarise round-trip times the way latency is usually reported. The median says what a
// typical request sees, p99 what one request in a hundred sees; the mean would hide both.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

inline std::string summarize_latency(std::vector<std::chrono::nanoseconds> samples) {
    if (samples.empty()) {
        return "no round trips";
    }
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        auto index = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
        return std::chrono::duration<double, std::micro>(samples[index]).count();
    };
    char line[200];
    std::snprintf(line, sizeof line, "%zu round trips, latency us: min %.1f median %.1f p99 %.1f max %.1f",
                  samples.size(), at(0.0), at(0.5), at(0.99), at(1.0));
    return line;
}
