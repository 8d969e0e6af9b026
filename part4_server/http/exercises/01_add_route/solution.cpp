// Exercise 01, a solution: GET /health next to GET /.
#include "http_routes.hpp"

namespace http {

response route(const request& req) {
    response r;
    const auto path = req.path();
    if (path != "/" && path != "/health") {
        r.status = 404;
        r.body = "Not Found\n";
    } else if (req.method != "GET" && req.method != "HEAD") {
        r.status = 405;
        r.body = "Method Not Allowed\n";
        r.extra_headers = "Allow: GET, HEAD\r\n";
    } else if (path == "/health") {
        r.content_type = "text/plain";
        r.body = "ok\n";
    } else {
        r.body = "Hello, World!\n";
    }
    return r;
}

} // namespace http
