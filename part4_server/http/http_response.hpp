// http_response.hpp: writing a response. Responses are appended to one output buffer, so the answers to
// several pipelined requests leave in a single write.
#pragma once

#include <string>
#include <string_view>

namespace http {

// snippet-begin: response
// A response as the routes describe it; everything is a view, so building one allocates nothing. The views
// must stay valid until append_response() has copied them (a body may point into the request's buffer).
struct response {
    int status = 200;
    std::string_view content_type = "text/plain; charset=utf-8";
    std::string_view body;
    std::string_view extra_headers; // whole lines, each ending in "\r\n", e.g. "Allow: GET, HEAD\r\n"
    bool head_only = false;         // HEAD: exactly the headers GET would send, without the body
    bool keep_alive = true;         // false: say "Connection: close", and the connection closes after it
    bool http10 = false;            // an HTTP/1.0 client that keeps the connection must be told so
};

// Appends the status line, headers and body to `out`; `date` comes from a date_cache.
void append_response(std::string& out, const response& r, std::string_view date);
// snippet-end: response

// The reason phrase for the status codes this server sends ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

// The answer to a request the parser rejected: a short text body naming the status, then close.
response error_response(int status);

} // namespace http
