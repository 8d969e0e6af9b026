// Reference solution: read until a newline is in `pending`, then cut the line off the front.
#include "read_line.hpp"

coro::task<std::optional<std::string>> read_line(line_reader& reader) {
    for (;;) {
        if (auto newline = reader.pending.find('\n'); newline != std::string::npos) {
            std::string line = reader.pending.substr(0, newline);
            reader.pending.erase(0, newline + 1);
            co_return line;
        }
        // The view points into the loop's buffer: copy it before the next co_await.
        auto bytes = co_await reader.stream.read_some();
        if (bytes.empty()) {
            if (reader.pending.empty()) {
                co_return std::nullopt;
            }
            co_return std::exchange(reader.pending, {});
        }
        reader.pending.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
}
