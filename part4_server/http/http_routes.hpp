// http_routes.hpp: the application. Which response each request gets.
#pragma once

#include "http_parser.hpp"
#include "http_response.hpp"

namespace http {

// Decides status, headers and body for one well-formed request. Pure: no I/O, no allocation. The connection
// fills in what follows from the request itself (keep-alive, HEAD) afterwards.
response route(const request& req);

} // namespace http
