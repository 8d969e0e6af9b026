// read_some / read_exact / write_all over a real TCP connection, where partial reads do happen.
#include "test_support.hpp"

#include <thread>

namespace {

// A connected pair of loopback TCP sockets (socketpair() would give a Unix socket, not TCP).
std::pair<file_descriptor, file_descriptor> tcp_pair() {
    file_descriptor listener = listen_on("127.0.0.1", 0, 1);
    file_descriptor client = connect_client(local_port(listener.get()));
    file_descriptor server(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    REQUIRE(server);
    return {std::move(client), std::move(server)};
}

} // namespace

TEST_CASE("a large write arrives in several reads, and read_exact puts it back together") {
    auto pair = tcp_pair(); // not a structured binding: clang 14 cannot capture those in a lambda
    file_descriptor& a = pair.first;
    file_descriptor& b = pair.second;
    const std::string payload = pattern(1 << 20, 3);
    std::thread writer([&] { write_all(a.get(), payload); });
    std::string first(payload.size(), '\0');
    std::size_t first_read = read_some(b.get(), first); // TCP delivers what has arrived, not the whole write
    std::string rest(payload.size() - first_read, '\0');
    CHECK(read_exact(b.get(), rest) == rest.size());
    writer.join();
    CHECK(first_read < payload.size());
    CHECK(first.substr(0, first_read) + rest == payload);
}

TEST_CASE("read_some returns 0 at end of stream, and read_exact returns what it got") {
    auto [a, b] = tcp_pair();
    write_all(a.get(), "abc");
    a.reset();
    std::string buffer(10, '\0');
    CHECK(read_exact(b.get(), buffer) == 3);
    CHECK(read_some(b.get(), buffer) == 0);
}

TEST_CASE("reading from a reset connection throws an error that names the call") {
    auto [a, b] = tcp_pair();
    reset_connection(a);
    std::string buffer(10, '\0');
    try {
        read_some(b.get(), buffer);
        FAIL("read_some did not throw");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::connection_reset);
        CHECK(std::string(e.what()).starts_with("read"));
    }
}

TEST_CASE("writing to a reset connection throws EPIPE instead of killing the process with SIGPIPE") {
    auto [a, b] = tcp_pair();
    reset_connection(a);
    std::string buffer(10, '\0');
    // The first call after the RST reports ECONNRESET; from then on the connection is plainly gone and a
    // write is EPIPE, the case where send() without MSG_NOSIGNAL raises SIGPIPE and ends the process.
    CHECK_THROWS_AS(read_some(b.get(), buffer), std::system_error);
    try {
        write_all(b.get(), "are you there?");
        FAIL("write_all did not throw");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::broken_pipe);
        CHECK(std::string(e.what()).starts_with("send"));
    }
}
