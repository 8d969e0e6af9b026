// Exercise 01: the test. Requests go through answer_batch(), exactly as the server's bytes would.
#include "http_batch.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace {

std::string answer(std::string_view input) {
    http::request_parser parser;
    std::string out;
    http::answer_batch(parser, input, out, "Sun, 06 Nov 1994 08:49:37 GMT");
    return out;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("GET /health answers 200 ok as text/plain") {
    const auto out = answer("GET /health HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(out.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(contains(out, "\r\nContent-Type: text/plain\r\n"));
    CHECK(contains(out, "\r\nContent-Length: 3\r\n"));
    CHECK(out.ends_with("\r\n\r\nok\n"));
}

TEST_CASE("HEAD /health and a query string work too") {
    const auto head = answer("HEAD /health HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(head.ends_with("\r\nContent-Length: 3\r\n\r\n"));
    CHECK(answer("GET /health?verbose=1 HTTP/1.1\r\nHost: a\r\n\r\n").ends_with("\r\n\r\nok\n"));
}

TEST_CASE("other methods on /health are a 405 with Allow") {
    const auto out = answer("DELETE /health HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(out.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
    CHECK(contains(out, "\r\nAllow: GET, HEAD\r\n"));
}

TEST_CASE("the old routes still work") {
    CHECK(answer("GET / HTTP/1.1\r\nHost: a\r\n\r\n").ends_with("\r\n\r\nHello, World!\n"));
    CHECK(answer("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n").starts_with("HTTP/1.1 404 Not Found\r\n"));
    CHECK(answer("POST / HTTP/1.1\r\nHost: a\r\n\r\n").starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
}
