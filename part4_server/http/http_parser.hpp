// http_parser.hpp: an incremental HTTP/1.1 request parser. Bytes in; a complete request, an error status, or
// "need more" out. It does no I/O and allocates nothing: a request is a set of views into the caller's
// buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace http {

// snippet-begin: request
// Everything here points into the buffer given to parse(): valid until the caller drops those bytes.
struct request {
    std::string_view method; // case-sensitive token: "GET", "HEAD", ...
    std::string_view target; // as sent: "/", "/index.html?x=1", ...
    int minor_version = 1;   // HTTP/1.0 or HTTP/1.1
    bool keep_alive = true;  // what the version and the Connection header ask for together
    std::string_view head;   // request line and header lines, for header() below
    std::string_view body;   // the Content-Length bytes (empty without a body)

    // The path part of the target (before '?').
    std::string_view path() const;
    // The first header called `name` (any letter case), its value trimmed. Rescans `head`: the parser keeps
    // no table of headers, which is what keeps it allocation-free and small.
    std::optional<std::string_view> header(std::string_view name) const;
};
// snippet-end: request

enum class parse_status { complete, need_more, error };

struct parse_result {
    parse_status status = parse_status::need_more;
    std::size_t consumed = 0; // complete: how many bytes of the input this request used
    int error_status = 0;     // error: 400, 413, 431, 501 or 505
    http::request request;    // complete: the request
};

struct parser_limits {
    std::size_t max_head = 8 * 1024;  // request line + headers, CRLFs included: over it, 431
    std::size_t max_body = 64 * 1024; // Content-Length: over it, 413 (the body is held in the input buffer)
};

// snippet-begin: parser
// One parser per connection. Call parse() with every byte received and not yet consumed, starting at the
// beginning of the current request; the input may have moved or grown since the last call, which is why the
// parser remembers offsets, never pointers. After `complete`, drop `consumed` bytes and call parse() again
// with the rest: the parser has already reset itself, and pipelined requests come out one by one. After
// `error` the connection cannot be trusted to stay in step: answer with error_status and close.
class request_parser {
public:
    explicit request_parser(parser_limits limits = {}) : limits_(limits) {}

    parse_result parse(std::string_view input);

private:
    enum class stage : std::uint8_t { request_line, headers, body, failed };

    parse_result fail(int status);
    int parse_request_line(std::string_view line);
    int parse_header_line(std::string_view line);
    parse_result finish(std::string_view input);
    void reset();

    parser_limits limits_;
    stage stage_ = stage::request_line;
    int error_status_ = 0;
    // Offsets into the input. `line_start_` is where the line being scanned begins, `scanned_` how far the
    // search for its '\n' already went: a client that sends one byte at a time costs O(n), not O(n^2).
    std::size_t line_start_ = 0;
    std::size_t scanned_ = 0;
    std::size_t request_start_ = 0; // after any empty lines that came before the request line
    std::size_t head_end_ = 0;
    std::size_t method_length_ = 0;
    std::size_t target_length_ = 0;
    std::size_t content_length_ = 0;
    int minor_version_ = 1;
    int host_count_ = 0;
    bool has_content_length_ = false;
    bool connection_close_ = false;
    bool connection_keep_alive_ = false;
};
// snippet-end: parser

} // namespace http
