// http_parser_fuzz.cpp: libFuzzer target for the request parser. Beyond "does not crash", it checks the two
// promises the server relies on: every view lies inside the input, and the parser's answer does not depend on
// how the input was split across reads.
#include "http_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() ||
           (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

struct outcome {
    http::parse_status status;
    std::size_t consumed;
    int error_status;
    bool operator==(const outcome&) const = default;
};

// Parses every request in `input`, feeding it in pieces of `step` bytes (0: all at once).
std::vector<outcome> parse_in_steps(std::string_view input, std::size_t step) {
    http::request_parser parser;
    std::vector<outcome> outcomes;
    std::size_t start = 0;
    std::size_t available = step == 0 ? input.size() : 0;
    while (outcomes.size() < 10000) {
        available = step == 0 ? input.size() : std::min(input.size(), available);
        // Copy into a fresh buffer each call, as a growing connection buffer would move its bytes.
        const std::string buffer(input.substr(start, available - start));
        const auto r = parser.parse(buffer);
        if (r.status == http::parse_status::need_more) {
            if (available == input.size()) {
                outcomes.push_back({r.status, 0, 0});
                break;
            }
            available += step;
            continue;
        }
        outcomes.push_back({r.status, r.consumed, r.error_status});
        if (r.status == http::parse_status::error) {
            check(r.error_status == 400 || r.error_status == 413 || r.error_status == 431 ||
                  r.error_status == 501 || r.error_status == 505);
            break;
        }
        const std::string_view b = buffer;
        check(r.consumed > 0 && r.consumed <= b.size());
        const auto& q = r.request;
        for (const auto part : {q.method, q.target, q.head, q.body}) {
            check(inside(part, b.substr(0, r.consumed)));
        }
        check(!q.method.empty() && !q.target.empty());
        check(q.minor_version == 0 || q.minor_version == 1);
        (void)q.header("host");
        start += r.consumed;
    }
    return outcomes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto whole = parse_in_steps(input, 0);
    check(parse_in_steps(input, 1) == whole);
    check(parse_in_steps(input, 7) == whole);
    return 0;
}
