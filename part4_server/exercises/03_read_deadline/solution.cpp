// Reference solution: each read may only wait for what is left of the time, not for a fresh period.
#include "read_exactly.hpp"

#include "timeout.hpp"

#include <stdexcept>
#include <system_error>

coro::task<std::string> read_exactly(coro::tcp_stream& stream, std::size_t n,
                                     coro::clock::time_point deadline) {
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        auto left = deadline - coro::clock::now();
        if (left <= coro::clock::duration::zero()) {
            throw std::system_error(std::make_error_code(std::errc::timed_out), "read_exactly");
        }
        // Into our own buffer, at most what we still need: nothing past the n bytes is consumed.
        auto room = std::as_writable_bytes(std::span(out)).subspan(got);
        auto bytes = co_await coro::with_timeout(stream.read_some(room), left);
        if (bytes.empty()) {
            throw std::runtime_error("read_exactly: the stream ended early");
        }
        got += bytes.size();
    }
    co_return out;
}
