// Exercise 01: add GET /health (see README.md). This is a copy of http_routes.cpp: change it here.
#include "http_routes.hpp"

namespace http {

response route(const request& req) {
    response r;
    // TODO(exercise): a second path, /health, answered with "ok\n" as text/plain (GET and HEAD; 405
    // otherwise).
    if (req.path() != "/") {
        r.status = 404;
        r.body = "Not Found\n";
    } else if (req.method != "GET" && req.method != "HEAD") {
        r.status = 405;
        r.body = "Method Not Allowed\n";
        r.extra_headers = "Allow: GET, HEAD\r\n";
    } else {
        r.body = "Hello, World!\n";
    }
    return r;
}

} // namespace http
