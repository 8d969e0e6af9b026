// read_line.hpp: lines from a byte stream. TCP has no messages: "hello\n" may arrive as "hel" + "lo\n",
// and two lines may arrive in one read. A line reader keeps what it has read past the last newline.
#pragma once

#include "task.hpp"
#include "tcp_stream.hpp"

#include <optional>
#include <string>

struct line_reader {
    coro::tcp_stream& stream;
    std::string pending; // bytes read from the stream but not yet returned as a line
};

// The next line without its '\n'. At end of stream: the unterminated rest if there is one, then nullopt.
// `reader` is a reference: the caller must keep it alive until the co_await finishes (co_await
// read_line(reader) does).
coro::task<std::optional<std::string>> read_line(line_reader& reader);
