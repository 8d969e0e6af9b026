// Exercise 02, a solution: POST /echo sends the request body back.
#include "http_routes.hpp"

namespace http {

response route(const request& req) {
    response r;
    const auto path = req.path();
    if (path == "/echo") {
        if (req.method != "POST") {
            r.status = 405;
            r.body = "Method Not Allowed\n";
            r.extra_headers = "Allow: POST\r\n";
        } else {
            // A view into the request's buffer: answer_batch() copies it out before that buffer moves on.
            r.content_type = "application/octet-stream";
            r.body = req.body;
        }
    } else if (path != "/") {
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
