// Unit tests of the response side: the date cache, the response format, the routes, and answer_batch, which
// turns a buffer of (pipelined) requests into a buffer of responses.
#include "../http_batch.hpp"
#include "../http_date.hpp"
#include "../http_response.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view date = "Sun, 06 Nov 1994 08:49:37 GMT";

struct answered {
    std::string out;
    http::batch_result result;
};

answered answer(std::string_view input) {
    http::request_parser parser;
    answered a;
    a.result = http::answer_batch(parser, input, a.out, date);
    return a;
}

// The status lines of every response in `out`, in order.
std::vector<std::string> status_lines(std::string_view out) {
    std::vector<std::string> lines;
    for (auto at = out.find("HTTP/1.1 "); at != std::string_view::npos; at = out.find("HTTP/1.1 ", at + 1)) {
        lines.emplace_back(out.substr(at, out.find("\r\n", at) - at));
    }
    return lines;
}

} // namespace

TEST_CASE("the date is formatted as an IMF-fixdate") {
    http::date_cache cache;
    CHECK(cache.at(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(cache.at(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(cache.at(1709164800) == "Thu, 29 Feb 2024 00:00:00 GMT");
    CHECK(cache.now().size() == 29);
}

TEST_CASE("GET / gets the full 200 response, byte for byte") {
    const auto a = answer("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(a.out == "HTTP/1.1 200 OK\r\n"
                   "Server: coro-tcp\r\n"
                   "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n"
                   "Content-Length: 14\r\n"
                   "\r\n"
                   "Hello, World!\n");
    CHECK(a.result.answered == 1);
    CHECK_FALSE(a.result.close);
}

TEST_CASE("HEAD / gets the same headers as GET and no body") {
    const auto get = answer("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const auto head = answer("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(head.out + "Hello, World!\n" == get.out);
}

TEST_CASE("other paths are a 404 and other methods a 405 with Allow, and both keep the connection") {
    const auto missing = answer("GET /nope HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(status_lines(missing.out) == std::vector<std::string>{"HTTP/1.1 404 Not Found"});
    CHECK_FALSE(missing.result.close);
    const std::string post_input = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi";
    const auto post = answer(post_input);
    CHECK(status_lines(post.out) == std::vector<std::string>{"HTTP/1.1 405 Method Not Allowed"});
    CHECK(post.out.find("\r\nAllow: GET, HEAD\r\n") != std::string::npos);
    CHECK(post.result.consumed == post_input.size()); // the body was read, and dropped
    CHECK_FALSE(post.result.close);
}

TEST_CASE("pipelined requests are answered in order into one buffer") {
    std::string input;
    for (int i = 0; i < 100; ++i) {
        input +=
            (i % 10 == 9) ? "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n" : "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    }
    const auto a = answer(input + "GET / HT");
    CHECK(a.result.answered == 100);
    CHECK(a.result.consumed == input.size());
    const auto lines = status_lines(a.out);
    REQUIRE(lines.size() == 100);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CHECK(lines[i] == ((i % 10 == 9) ? "HTTP/1.1 404 Not Found" : "HTTP/1.1 200 OK"));
    }
}

TEST_CASE("a bad request is answered with its status and Connection: close, and nothing after it") {
    const auto a =
        answer("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/9.9\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(status_lines(a.out) ==
          std::vector<std::string>{"HTTP/1.1 200 OK", "HTTP/1.1 505 HTTP Version Not Supported"});
    CHECK(a.out.find("Connection: close\r\n") != std::string::npos);
    CHECK(a.result.close);
}

TEST_CASE("each kind of bad request gets its own status line") {
    const std::string big(9000, 'x');
    const std::pair<std::string, std::string> cases[] = {
        {"GET / HTTP/1.1\r\nBad Header\r\n\r\n", "HTTP/1.1 400 Bad Request"},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n", "HTTP/1.1 413 Content Too Large"},
        {"GET / HTTP/1.1\r\nX: " + big + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 501 Not Implemented"},
        {"GET / HTTP/2.0\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"},
    };
    for (const auto& [input, line] : cases) {
        const auto a = answer(input);
        CHECK(status_lines(a.out) == std::vector<std::string>{line});
        CHECK(a.result.close);
    }
}

TEST_CASE("Connection: close is honoured, and HTTP/1.0 keep-alive is confirmed") {
    const auto closing =
        answer("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(status_lines(closing.out).size() == 1);
    CHECK(closing.out.find("Connection: close\r\n") != std::string::npos);
    CHECK(closing.result.close);

    const auto old = answer("GET / HTTP/1.0\r\n\r\n");
    CHECK(old.out.find("Connection: close\r\n") != std::string::npos);
    CHECK(old.result.close);

    const auto old_kept = answer("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(old_kept.out.find("Connection: keep-alive\r\n") != std::string::npos);
    CHECK_FALSE(old_kept.result.close);
}
