// Exercise 02: the test. Requests go through answer_batch(), exactly as the server's bytes would.
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

std::string post_echo(const std::string& body) {
    return "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("POST /echo answers with the request body") {
    const auto out = answer(post_echo("hello, echo"));
    CHECK(out.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(contains(out, "\r\nContent-Type: application/octet-stream\r\n"));
    CHECK(contains(out, "\r\nContent-Length: 11\r\n"));
    CHECK(out.ends_with("\r\n\r\nhello, echo"));
}

TEST_CASE("every byte comes back, binary and large ones included") {
    std::string body;
    for (int i = 0; i < 60000; ++i) {
        body += static_cast<char>(i * 7);
    }
    const auto out = answer(post_echo(body));
    CHECK(out.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(out.ends_with("\r\n\r\n" + body));
    CHECK(answer(post_echo("")).ends_with("\r\nContent-Length: 0\r\n\r\n"));
}

TEST_CASE("pipelined echoes come back in order") {
    const auto out = answer(post_echo("first") + post_echo("second"));
    const auto first = out.find("\r\n\r\nfirst");
    const auto second = out.find("\r\n\r\nsecond");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    CHECK(first < second);
}

TEST_CASE("GET /echo is a 405 that allows POST, and / still says hello") {
    const auto out = answer("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(out.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
    CHECK(contains(out, "\r\nAllow: POST\r\n"));
    CHECK(answer("GET / HTTP/1.1\r\nHost: a\r\n\r\n").ends_with("\r\n\r\nHello, World!\n"));
}
