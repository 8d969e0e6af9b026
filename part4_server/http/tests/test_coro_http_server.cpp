// coro_http_server over real loopback sockets: curl, raw pipelined bursts, every error status, slow and
// stalled clients, keep-alive, and many concurrent clients on two threads.
#include "http_test_support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using http_test::client;
using http_test::server_process;

namespace {

const std::string server_path = CORO_HTTP_SERVER; // set by meson.build

server_process start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{server_path, "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return server_process(std::move(args));
}

std::string url(const server_process& server, const std::string& path = "/") {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
}

const std::string get_root = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

} // namespace

TEST_CASE("curl gets the body and the headers") {
    auto server = start();
    const auto out = http_test::run_command("curl -si --max-time 10 " + url(server));
    CHECK(out.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(out.find("\r\nContent-Length: 14\r\n") != std::string::npos);
    CHECK(out.find("\r\nContent-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
    CHECK(out.find("\r\nDate: ") != std::string::npos);
    CHECK(out.ends_with("\r\n\r\nHello, World!\n"));
    const auto head = http_test::run_command("curl -sI --max-time 10 " + url(server));
    CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(head.find("\r\nContent-Length: 14\r\n") != std::string::npos);
    CHECK(head.ends_with("\r\n\r\n"));
    const auto missing = http_test::run_command("curl -s -o /dev/null -w '%{http_code}' --max-time 10 " +
                                                url(server, "/nope"));
    CHECK(missing == "404");
    CHECK(server.stop() == 0);
}

TEST_CASE("curl --http1.0 gets the body, and the server closes the connection") {
    auto server = start();
    const auto out = http_test::run_command("curl -si --http1.0 --max-time 10 " + url(server));
    CHECK(out.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(out.find("\r\nConnection: close\r\n") != std::string::npos);
    CHECK(out.ends_with("Hello, World!\n"));
    CHECK(server.stop() == 0);
}

TEST_CASE("a keep-alive connection serves many requests, and Connection: close ends it") {
    auto server = start();
    client c(server.port());
    for (int i = 0; i < 20; ++i) {
        c.send(get_root);
        const auto r = c.read_response();
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->body == "Hello, World!\n");
    }
    c.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const auto last = c.read_response();
    REQUIRE(last);
    CHECK(last->has_header("Connection: close"));
    CHECK(c.closed_by_server());
    CHECK(server.stop() == 0);
}

TEST_CASE("HTTP/1.0 with Connection: keep-alive keeps the connection") {
    auto server = start();
    client c(server.port());
    for (int i = 0; i < 3; ++i) {
        c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const auto r = c.read_response();
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->has_header("Connection: keep-alive"));
    }
    c.send("GET / HTTP/1.0\r\n\r\n");
    REQUIRE(c.read_response());
    CHECK(c.closed_by_server());
    CHECK(server.stop() == 0);
}

TEST_CASE("a pipelined burst of 100 requests in one write gets 100 responses in order") {
    auto server = start();
    client c(server.port());
    std::string burst;
    for (int i = 0; i < 100; ++i) {
        // Vary path and method, so that responses out of order would show.
        burst += i % 7 == 3   ? "GET /missing-" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n"
                 : i % 5 == 1 ? std::string("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n")
                              : get_root;
    }
    c.send(burst);
    for (int i = 0; i < 100; ++i) {
        CAPTURE(i);
        const bool head = i % 7 != 3 && i % 5 == 1;
        const auto r = c.read_response(head);
        REQUIRE(r);
        CHECK(r->status == (i % 7 == 3 ? 404 : 200));
        CHECK(r->body == (i % 7 == 3 ? "Not Found\n" : head ? "" : "Hello, World!\n"));
    }
    c.send(get_root); // and the connection is still good
    const auto after = c.read_response();
    REQUIRE(after);
    CHECK(after->status == 200);
    CHECK(server.stop() == 0);
}

TEST_CASE("each bad request gets its status and a close, and the server keeps serving others") {
    auto server = start();
    client bystander(server.port()); // opened before, used after: must not be disturbed
    const std::string big(9000, 'x');
    const std::pair<std::string, int> cases[] = {
        {"GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n", 400},
        {"GARBAGE\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n", 413},
        {"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + big + "\r\n\r\n", 431},
        {"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501},
        {"GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505},
        {"GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n", 404},
        {"DELETE / HTTP/1.1\r\nHost: t\r\n\r\n", 405},
    };
    for (const auto& one_case : cases) {
        const std::string& request = one_case.first;
        const int status = one_case.second;
        CAPTURE(request.substr(0, 40));
        client c(server.port());
        c.send(request);
        const auto r = c.read_response();
        REQUIRE(r);
        CHECK(r->status == status);
        if (status == 404 || status == 405) {
            CHECK_FALSE(r->has_header("Connection: close")); // not errors of the protocol: keep going
            c.send(get_root);
            REQUIRE(c.read_response());
        } else {
            CHECK(r->has_header("Connection: close"));
            CHECK(c.closed_by_server());
        }
    }
    bystander.send(get_root);
    const auto r = bystander.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(server.stop() == 0);
}

TEST_CASE("a POST body is read and dropped, and the next request on the connection is served") {
    auto server = start();
    client c(server.port());
    const std::string body(30000, 'b');
    c.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 30000\r\n\r\n" + body + get_root);
    const auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 405);
    CHECK(r->has_header("Allow: GET, HEAD"));
    const auto next = c.read_response();
    REQUIRE(next);
    CHECK(next->status == 200);
    CHECK(server.stop() == 0);
}

TEST_CASE("a request sent byte by byte with pauses is served") {
    auto server = start({"--idle-timeout", "5"});
    client c(server.port());
    const std::string request = "GET / HTTP/1.1\r\nHost: slow\r\n\r\n";
    for (const char byte : request) {
        c.send(std::string_view(&byte, 1));
        // The pause is the test's input (a slow client), not a wait for an event.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "Hello, World!\n");
    CHECK(server.stop() == 0);
}

TEST_CASE("a client that stops mid-request gets a 408 and is disconnected") {
    auto server = start({"--idle-timeout", "0.3"});
    client stalled(server.port());
    stalled.send("GET / HTTP/1.1\r\nHost: t\r\nX-Half: ");
    const auto r = stalled.read_response();
    REQUIRE(r);
    CHECK(r->status == 408);
    CHECK(r->has_header("Connection: close"));
    CHECK(stalled.closed_by_server());
    CHECK(server.stop() == 0);
}

TEST_CASE("a client that trickles a request never finishes it within the deadline") {
    // One byte every 100 ms keeps each read well inside the 0.5 s idle timeout, but the request as a whole
    // must arrive within 0.5 s of its first byte: the server answers 408 long before the 100-byte header
    // ends.
    auto server = start({"--idle-timeout", "0.5"});
    client c(server.port());
    const std::string request = "GET / HTTP/1.1\r\nHost: t\r\nX-Long: " + std::string(100, 'a') + "\r\n\r\n";
    std::optional<http_test::response> r;
    for (std::size_t i = 0; i < request.size() && !r; ++i) {
        c.send(request.substr(i, 1));
        r = c.read_response(false, 100); // also the pause between two bytes
    }
    REQUIRE(r);
    CHECK(r->status == 408);
    CHECK(server.stop() == 0);
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout") {
    auto server = start({"--idle-timeout", "0.3"});
    client c(server.port());
    c.send(get_root);
    REQUIRE(c.read_response());
    CHECK(c.closed_by_server());
    CHECK(server.stop() == 0);
}

TEST_CASE("at --max-connections, the next client waits until a connection ends") {
    auto server = start({"--max-connections", "2"});
    client a(server.port());
    client b(server.port());
    a.send(get_root);
    b.send(get_root);
    REQUIRE(a.read_response());
    REQUIRE(b.read_response());
    client waiting(server.port()); // the kernel completes the handshake; the server does not accept yet
    waiting.send(get_root);
    CHECK_FALSE(waiting.read_response(false, 300));
    a.close();
    const auto r = waiting.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(server.stop() == 0);
}

TEST_CASE("--threads 2 serves 200 concurrent keep-alive clients") {
    auto server = start({"--threads", "2"});
    std::vector<std::unique_ptr<client>> clients;
    for (int i = 0; i < 200; ++i) {
        clients.push_back(std::make_unique<client>(server.port()));
    }
    for (int round = 0; round < 3; ++round) {
        for (auto& c : clients) {
            c->send(get_root);
        }
        int ok = 0;
        for (auto& c : clients) {
            const auto r = c->read_response();
            ok += r && r->status == 200 && r->body == "Hello, World!\n";
        }
        CHECK(ok == 200);
    }
    CHECK(server.stop() == 0);
}

TEST_CASE("SIGINT with open connections ends the server with exit status 0") {
    auto server = start({"--threads", "2"});
    std::vector<std::unique_ptr<client>> clients;
    for (int i = 0; i < 20; ++i) {
        clients.push_back(std::make_unique<client>(server.port()));
        clients.back()->send("GET / HTTP/1.1\r\nHost: t\r\n"); // half a request: a connection mid-read
    }
    CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("--help prints usage and exits 0; a bad argument exits 2") {
    CHECK(http_test::run_command(server_path + " --help; echo status=$?").find("usage: coro_http_server") ==
          0);
    CHECK(http_test::run_command(server_path + " --help | tail -c 0; echo status=$?").find("status=0") !=
          std::string::npos);
    CHECK(http_test::run_command(server_path + " --threads 0 2>/dev/null; echo status=$?") == "status=2\n");
    CHECK(http_test::run_command(server_path + " --bogus 1 2>/dev/null; echo status=$?") == "status=2\n");
}
