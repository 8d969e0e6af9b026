#include "http_routes.hpp"

namespace http {

// snippet-begin: route
response route(const request& req) {
    response r;
    if (req.path() != "/") {
        r.status = 404;
        r.body = "Not Found\n";
    } else if (req.method != "GET" && req.method != "HEAD") {
        // A 405 must say what would have worked (RFC 9110 15.5.6).
        r.status = 405;
        r.body = "Method Not Allowed\n";
        r.extra_headers = "Allow: GET, HEAD\r\n";
    } else {
        r.body = "Hello, World!\n";
    }
    return r;
}
// snippet-end: route

} // namespace http
