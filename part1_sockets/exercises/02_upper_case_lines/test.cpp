#include "file_descriptor.hpp"
#include "socket_io.hpp"
#include "upper_case_lines.hpp"

#include <doctest/doctest.h>
#include <sys/socket.h>

#include <string>
#include <thread>
#include <vector>

namespace {

// Runs the exercise on one end of a socket pair; sends `pieces` one write each, then half-closes, and
// returns everything the exercise sent back before it closed its end.
std::string converse(const std::vector<std::string>& pieces) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    file_descriptor client(fds[0]);
    file_descriptor server(fds[1]);
    timeval limit{10, 0};
    ::setsockopt(client.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    std::thread serving([&] {
        try {
            exercise::serve_upper_case_lines(server.get());
        } catch (const std::exception& e) {
            MESSAGE("serve_upper_case_lines threw: " << e.what());
        }
        ::shutdown(server.get(), SHUT_RDWR); // our end of stream, as a closing server would send
    });
    for (const std::string& piece : pieces) {
        write_all(client.get(), piece);
    }
    ::shutdown(client.get(), SHUT_WR);
    std::string reply;
    char chunk[4096];
    try {
        while (std::size_t n = read_some(client.get(), chunk)) {
            reply.append(chunk, n);
        }
    } catch (const std::system_error&) {
        // A timeout: the reply so far is what the comparison sees.
    }
    serving.join();
    return reply;
}

} // namespace

TEST_CASE("each complete line comes back upper-cased, however the bytes were cut") {
    CHECK(converse({"hello\n"}) == "HELLO\n");
    CHECK(converse({"hel", "lo\nwo", "rld\n"}) == "HELLO\nWORLD\n");
    CHECK(converse({"one\ntwo\nthree\n"}) == "ONE\nTWO\nTHREE\n");
}

TEST_CASE("quit gets BYE and ends the session, whatever follows") {
    CHECK(converse({"abc\nqu", "it\nnot answered\n"}) == "ABC\nBYE\n");
}

TEST_CASE("an unfinished last line gets no reply") {
    CHECK(converse({"done\nunfinish", "ed"}) == "DONE\n");
}
