// Unit tests of the request parser: no sockets, just bytes in and results out.
#include "../http_parser.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using http::parse_status;

namespace {

// Parses `input` with a fresh parser, all at once.
http::parse_result parse_all(std::string_view input, http::parser_limits limits = {}) {
    http::request_parser parser(limits);
    return parser.parse(input);
}

int error_of(std::string_view input) {
    const auto r = parse_all(input);
    CHECK_MESSAGE(r.status == parse_status::error, "expected an error for: " << input);
    return r.error_status;
}

bool keep_alive_of(std::string_view input) {
    const auto r = parse_all(input);
    REQUIRE_MESSAGE(r.status == parse_status::complete, "expected a complete request: " << input);
    return r.request.keep_alive;
}

const std::string get_request = "GET /index.html?x=1 HTTP/1.1\r\n"
                                "Host: example.com\r\n"
                                "User-Agent: test\r\n"
                                "Accept: */*\r\n"
                                "\r\n";

const std::string post_request = "POST /echo HTTP/1.1\r\n"
                                 "host: example.com\r\n"
                                 "content-length: 11\r\n"
                                 "\r\n"
                                 "hello world";

} // namespace

TEST_CASE("a complete GET request is parsed into views of the input") {
    const auto r = parse_all(get_request);
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.consumed == get_request.size());
    CHECK(r.request.method == "GET");
    CHECK(r.request.target == "/index.html?x=1");
    CHECK(r.request.path() == "/index.html");
    CHECK(r.request.minor_version == 1);
    CHECK(r.request.keep_alive);
    CHECK(r.request.body.empty());
    CHECK(r.request.method.data() == get_request.data()); // zero-copy: a view, not a copy
}

TEST_CASE("header lookup ignores the letter case of the name and trims the value") {
    const auto r = parse_all("GET / HTTP/1.1\r\nHOST: a\r\nX-Thing: \t  some value \t\r\n\r\n");
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.request.header("host") == "a");
    CHECK(r.request.header("x-thing") == "some value");
    CHECK(r.request.header("X-THING") == "some value");
    CHECK_FALSE(r.request.header("x-thin").has_value());
    CHECK_FALSE(r.request.header("missing").has_value());
}

TEST_CASE("a Content-Length body is part of the request") {
    const auto r = parse_all(post_request);
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.request.method == "POST");
    CHECK(r.request.body == "hello world");
    CHECK(r.consumed == post_request.size());
}

TEST_CASE("the request is complete only when its last byte arrives, wherever the input is split") {
    for (const std::string& full : {get_request, post_request}) {
        const auto whole = parse_all(full);
        REQUIRE(whole.status == parse_status::complete);
        for (std::size_t split = 0; split < full.size(); ++split) {
            CAPTURE(split);
            http::request_parser parser;
            // The caller may copy the bytes to a new, larger buffer between calls: the parser must cope.
            std::string buffer = full.substr(0, split);
            CHECK(parser.parse(buffer).status == parse_status::need_more);
            buffer = full;
            const auto r = parser.parse(buffer);
            REQUIRE(r.status == parse_status::complete);
            CHECK(r.consumed == whole.consumed);
            CHECK(r.request.method == whole.request.method);
            CHECK(r.request.target == whole.request.target);
            CHECK(r.request.body == whole.request.body);
            CHECK(r.request.head == whole.request.head);
        }
    }
}

TEST_CASE("a request that arrives one byte at a time is parsed once, at its last byte") {
    http::request_parser parser;
    std::string buffer;
    int completions = 0;
    for (const char c : post_request) {
        buffer += c;
        const auto r = parser.parse(buffer);
        REQUIRE(r.status != parse_status::error);
        if (r.status == parse_status::complete) {
            ++completions;
            CHECK(buffer.size() == post_request.size());
            CHECK(r.request.body == "hello world");
        }
    }
    CHECK(completions == 1);
}

TEST_CASE("pipelined requests in one buffer come out one by one, in order") {
    const std::string input = get_request + post_request + "HEAD / HTTP/1.0\r\n\r\n" + "GET /partial HT";
    http::request_parser parser;
    std::string_view rest = input;
    std::vector<std::string> seen;
    for (;;) {
        const auto r = parser.parse(rest);
        if (r.status != parse_status::complete) {
            CHECK(r.status == parse_status::need_more);
            break;
        }
        seen.push_back(std::string(r.request.method) + " " + std::string(r.request.target));
        rest.remove_prefix(r.consumed);
    }
    CHECK(seen == std::vector<std::string>{"GET /index.html?x=1", "POST /echo", "HEAD /"});
    CHECK(rest == "GET /partial HT");
}

TEST_CASE("empty lines before a request line are skipped") {
    const auto r = parse_all("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.request.method == "GET");
    CHECK(r.consumed == 31);
}

TEST_CASE("keep-alive follows the version and the Connection header") {
    CHECK(keep_alive_of("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    CHECK_FALSE(keep_alive_of("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    CHECK_FALSE(keep_alive_of("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, CLOSE\r\n\r\n"));
    CHECK(keep_alive_of("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n"));
    CHECK_FALSE(keep_alive_of("GET / HTTP/1.0\r\n\r\n"));
    CHECK(keep_alive_of("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    CHECK(keep_alive_of("GET / HTTP/1.0\r\nconnection: foo ,Keep-Alive\r\n\r\n"));
    CHECK_FALSE(keep_alive_of("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"));
}

TEST_CASE("HTTP/1.0 needs no Host header, HTTP/1.1 does") {
    CHECK(parse_all("GET / HTTP/1.0\r\n\r\n").status == parse_status::complete);
    CHECK(error_of("GET / HTTP/1.1\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
}

TEST_CASE("a malformed request line is a 400") {
    CHECK(error_of("GET  / HTTP/1.1\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1 \r\n") == 400);
    CHECK(error_of(" GET / HTTP/1.1\r\n") == 400);
    CHECK(error_of("GET /\r\n") == 400);
    CHECK(error_of("GET\r\n") == 400);
    CHECK(error_of("G(T / HTTP/1.1\r\n") == 400);
    CHECK(error_of("GET / http/1.1\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.10\r\n") == 400);
    CHECK(error_of("GET / HTTP/1\r\n") == 400);
    CHECK(error_of("GET /a\x7f HTTP/1.1\r\n") == 400);
    CHECK(error_of("GET /\xc3\xa9 HTTP/1.1\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\n") == 400);
    CHECK(error_of("\n") == 400);
}

TEST_CASE("a malformed header line is a 400") {
    const std::string start = "GET / HTTP/1.1\r\nHost: a\r\n";
    CHECK(error_of(start + "NoColon\r\n\r\n") == 400);
    CHECK(error_of(start + "Name : value\r\n\r\n") == 400);
    CHECK(error_of(start + ": value\r\n\r\n") == 400);
    CHECK(error_of(start + "X-A: 1\r\n folded\r\n\r\n") == 400);
    CHECK(error_of(start + "X-A: a\rb\r\n\r\n") == 400);
    CHECK(error_of(start + std::string("X-A: a\0b\r\n\r\n", 13)) == 400);
    CHECK(error_of(start + "X-A: a\n\r\n") == 400);
    CHECK(error_of(start + "Content-Length: 1\r\nContent-Length: 1\r\n\r\n") == 400);
    CHECK(error_of(start + "Content-Length: +5\r\n\r\n") == 400);
    CHECK(error_of(start + "Content-Length: 5x\r\n\r\n") == 400);
    CHECK(error_of(start + "Content-Length:\r\n\r\n") == 400);
    CHECK(error_of(start + "Content-Length: 1, 1\r\n\r\n") == 400);
}

TEST_CASE("a body over the limit is a 413, decided from the header alone") {
    CHECK(error_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n") == 413);
    CHECK(error_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999999\r\n") == 413);
    const auto at_limit = parse_all("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65536\r\n\r\n");
    CHECK(at_limit.status == parse_status::need_more);
}

TEST_CASE("a header section over 8 KiB is a 431, finished or not") {
    const std::string big(9000, 'a');
    CHECK(error_of("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n") == 431);
    CHECK(error_of("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + big) == 431);
    CHECK(error_of("GET /" + big) == 431);
    std::string blank_lines;
    for (int i = 0; i < 5000; ++i) {
        blank_lines += "\r\n";
    }
    CHECK(error_of(blank_lines) == 431);
    // Just under the limit is fine.
    const std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ";
    const std::string fits(8192 - head.size() - 4, 'a');
    CHECK(parse_all(head + fits + "\r\n\r\n").status == parse_status::complete);
    CHECK(error_of(head + fits + "a\r\n\r\n") == 431);
}

TEST_CASE("Transfer-Encoding is a 501, whatever its value") {
    CHECK(error_of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n") == 501);
    CHECK(error_of("POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: gzip\r\n\r\n") == 501);
}

TEST_CASE("a well-formed version other than 1.x is a 505") {
    CHECK(error_of("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 505);
    CHECK(error_of("GET / HTTP/0.9\r\n") == 505);
    const auto newer = parse_all("GET / HTTP/1.2\r\nHost: a\r\n\r\n");
    REQUIRE(newer.status == parse_status::complete);
    CHECK(newer.request.minor_version == 1);
}

TEST_CASE("after an error the parser keeps reporting it") {
    http::request_parser parser;
    CHECK(parser.parse("BAD\r\n").error_status == 400);
    const auto again = parser.parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(again.status == parse_status::error);
    CHECK(again.error_status == 400);
}
