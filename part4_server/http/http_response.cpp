#include "http_response.hpp"

#include <charconv>

namespace http {

std::string_view reason_phrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

response error_response(int status) {
    response r;
    r.status = status;
    // Static strings: the body is a view, and must outlive this function.
    switch (status) {
    case 400:
        r.body = "Bad Request\n";
        break;
    case 408:
        r.body = "Request Timeout\n";
        break;
    case 413:
        r.body = "Content Too Large\n";
        break;
    case 431:
        r.body = "Request Header Fields Too Large\n";
        break;
    case 501:
        r.body = "Not Implemented\n";
        break;
    case 503:
        r.body = "Service Unavailable\n";
        break;
    case 505:
        r.body = "HTTP Version Not Supported\n";
        break;
    default:
        r.body = "Error\n";
        break;
    }
    r.keep_alive = false;
    return r;
}

// snippet-begin: append_response
void append_response(std::string& out, const response& r, std::string_view date) {
    char number[24];
    // We answer every request as HTTP/1.1, as RFC 9110 asks (our highest version; a 1.0 client copes).
    out += "HTTP/1.1 ";
    out.append(number, std::to_chars(number, number + sizeof number, r.status).ptr);
    out += ' ';
    out += reason_phrase(r.status);
    out += "\r\nServer: coro-tcp\r\nDate: ";
    out += date;
    out += "\r\nContent-Type: ";
    out += r.content_type;
    out += "\r\nContent-Length: ";
    out.append(number, std::to_chars(number, number + sizeof number, r.body.size()).ptr);
    out += "\r\n";
    if (!r.keep_alive) {
        out += "Connection: close\r\n";
    } else if (r.http10) {
        out += "Connection: keep-alive\r\n";
    }
    out += r.extra_headers;
    out += "\r\n";
    if (!r.head_only) {
        out += r.body;
    }
}
// snippet-end: append_response

} // namespace http
