// Exercise 01: implement read_line (see README.md).
#include "read_line.hpp"

coro::task<std::optional<std::string>> read_line(line_reader& reader) {
    // TODO(exercise): this treats each read as one line. TCP does not keep your message boundaries:
    // keep the bytes after a newline in reader.pending, and read again until a newline arrives.
    auto bytes = co_await reader.stream.read_some();
    if (bytes.empty()) {
        co_return std::nullopt;
    }
    co_return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}
