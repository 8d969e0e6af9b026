#include "file_descriptor.hpp"
#include "write_all.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace {

// A connected pair whose writing end is non-blocking and has a tiny send buffer: partial writes and EAGAIN
// are guaranteed, not left to luck.
std::pair<file_descriptor, file_descriptor> small_buffer_pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    file_descriptor writer(fds[0]);
    file_descriptor reader(fds[1]);
    int size = 4096;
    ::setsockopt(writer.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    ::fcntl(writer.get(), F_SETFL, ::fcntl(writer.get(), F_GETFL) | O_NONBLOCK);
    timeval limit{10, 0}; // a reader that never gets its bytes gives up instead of hanging the test
    ::setsockopt(reader.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    return {std::move(writer), std::move(reader)};
}

std::string read_to_end(int fd) {
    std::string all;
    char chunk[8192];
    for (;;) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) {
            return all; // end of stream (or the 10 s timeout: the comparison below then fails)
        }
        all.append(chunk, static_cast<std::size_t>(n));
    }
}

} // namespace

TEST_CASE("every byte of a 1 MiB write arrives, through partial writes and a full buffer") {
    auto [writer, reader] = small_buffer_pair();
    std::string payload(1 << 20, '\0');
    for (std::size_t i = 0; i < payload.size(); ++i) {
        payload[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
    }
    std::string received;
    std::thread reading([&, fd = reader.get()] { received = read_to_end(fd); });
    exercise::write_all(writer.get(), payload);
    writer.reset(); // end of stream for the reader
    reading.join();
    CHECK(received.size() == payload.size());
    CHECK(received == payload);
}

TEST_CASE("writing to a closed peer throws instead of raising SIGPIPE") {
    auto [writer, reader] = small_buffer_pair();
    reader.reset();
    CHECK_THROWS_AS(exercise::write_all(writer.get(), "anyone there?"), std::system_error);
}
