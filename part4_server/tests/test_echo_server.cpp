// test_echo_server.cpp: the coro_echo_server program, started as a process and driven over loopback.
#include "client_socket.hpp"
#include "server_process.hpp"

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string pattern(std::size_t size, unsigned seed) {
    std::string s(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        s[i] = static_cast<char>((i * 31 + seed) % 251);
    }
    return s;
}

int run_program(std::vector<std::string> args, std::chrono::seconds limit = 60s) {
    pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        ::poll(nullptr, 0, 10);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return -1;
}

} // namespace

TEST_CASE("1000 concurrent clients each get exactly their own bytes back") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0"});
    int status = run_program({CORO_ECHO_CLIENT, "--port", std::to_string(server.port()), "--connections",
                              "1000", "--messages", "5", "--size", "300"});
    CHECK(status == 0);
    CHECK(server.stop() == 0);
}

TEST_CASE("a 16 MiB echo to a slow reader arrives complete and in order") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0"});
    test::client_socket client(server.port());
    int small = 16 * 1024; // a small receive window makes this client a slow reader
    ::setsockopt(client.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    const std::string data = pattern(16 << 20, 7);
    std::thread writer([&] {
        client.send_all(data);
        ::shutdown(client.fd(), SHUT_WR);
    });
    std::string echoed;
    try {
        echoed = client.receive_until_closed(20s);
    } catch (...) {
        ::shutdown(client.fd(), SHUT_RDWR); // unblocks the writer so the thread can be joined
        writer.join();
        throw;
    }
    writer.join();
    CHECK(echoed.size() == data.size());
    CHECK(echoed == data);
    CHECK(server.stop() == 0);
}

TEST_CASE("after a half-close the server echoes everything it received, then closes") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0"});
    test::client_socket client(server.port());
    client.send_all("first line\nsecond line\n");
    ::shutdown(client.fd(), SHUT_WR);
    CHECK(client.receive_until_closed() == "first line\nsecond line\n");
    CHECK(server.stop() == 0);
}

TEST_CASE("a client that resets its connection does not disturb the server") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0"});
    {
        test::client_socket rude(server.port());
        rude.send_all(pattern(100'000, 1)); // unread echo data makes the server's next send fail
        REQUIRE(rude.receive(10) == pattern(10, 1));
        linger reset{1, 0}; // close with RST instead of FIN
        ::setsockopt(rude.fd(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
    test::client_socket polite(server.port());
    polite.send_all("still there?");
    CHECK(polite.receive(12) == "still there?");
    CHECK(server.stop() == 0);
}

TEST_CASE("an idle connection is closed after the idle timeout, an active one is not") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0", "--idle-timeout", "0.3"});
    test::client_socket idle(server.port());
    test::client_socket active(server.port());
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 6; ++i) { // 0.6 s of traffic, each gap well under the timeout
        active.send_all("tick");
        REQUIRE(active.receive(4) == "tick");
        ::poll(nullptr, 0, 100);
    }
    CHECK(idle.receive_until_closed(10s).empty());
    CHECK(std::chrono::steady_clock::now() - start >= 250ms);
    active.send_all("tock");
    CHECK(active.receive(4) == "tock");
    CHECK(server.stop() == 0);
}

TEST_CASE("at --max-connections the server stops accepting until a connection closes") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0", "--max-connections", "2"});
    auto first = std::make_unique<test::client_socket>(server.port());
    test::client_socket second(server.port());
    first->send_all("1");
    second.send_all("2");
    REQUIRE(first->receive(1) == "1");
    REQUIRE(second.receive(1) == "2");
    test::client_socket third(server.port()); // completes in the kernel's backlog, but is not accepted
    third.send_all("3");
    CHECK_FALSE(third.wait_readable(300ms));
    first.reset();
    CHECK(third.receive(1) == "3");
    CHECK(server.stop() == 0);
}

TEST_CASE("SIGTERM with 100 open connections ends the server with status 0 and closes them all") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0"});
    std::vector<std::unique_ptr<test::client_socket>> clients;
    for (int i = 0; i < 100; ++i) {
        clients.push_back(std::make_unique<test::client_socket>(server.port()));
        clients.back()->send_all("x");
        REQUIRE(clients.back()->receive(1) == "x");
    }
    CHECK(server.stop(SIGTERM) == 0);
    for (auto& client : clients) {
        CHECK(client->receive_until_closed().empty());
    }
}

TEST_CASE("SIGINT ends an idle server with status 0") {
    test::server_process server({CORO_ECHO_SERVER, "--port", "0"});
    CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("bad arguments exit with status 2, --help with 0") {
    CHECK(run_program({CORO_ECHO_SERVER, "--port", "70000"}) == 2);
    CHECK(run_program({CORO_ECHO_SERVER, "--idle-timeout", "soon"}) == 2);
    CHECK(run_program({CORO_ECHO_SERVER, "--max-connections", "0"}) == 2);
    CHECK(run_program({CORO_ECHO_SERVER, "--frobnicate"}) == 2);
    CHECK(run_program({CORO_ECHO_SERVER, "--help"}) == 0);
}
