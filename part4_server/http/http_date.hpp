// http_date.hpp: the Date header every response carries, formatted at most once a second.
#pragma once

#include <array>
#include <ctime>
#include <string_view>

namespace http {

// snippet-begin: date_cache
// Formatting a date costs more than the rest of a small response together, and the value only changes once a
// second. So each thread keeps one date_cache: now() asks the clock (time() is a vDSO call, not a syscall)
// and formats only when the second has moved on. Not thread-safe on purpose: one per event loop thread.
class date_cache {
public:
    // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". Valid until the next call.
    std::string_view now() { return at(std::time(nullptr)); }
    std::string_view at(std::time_t t);

private:
    std::time_t second_ = -1;
    std::array<char, 29> text_{};
};
// snippet-end: date_cache

} // namespace http
