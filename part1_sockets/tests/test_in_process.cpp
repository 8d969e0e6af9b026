// The servers' cores run inside the test process, so the test can see what a run leaves behind: open file
// descriptors (/proc/self/fd) and threads (/proc/self/status).
#include "echo_server.hpp"
#include "stop_event.hpp"
#include "test_support.hpp"
#include "threaded_echo_server.hpp"

#include <dirent.h>

#include <exception>
#include <fstream>
#include <thread>

namespace {

int open_fd_count() {
    int count = 0;
    DIR* dir = ::opendir("/proc/self/fd"); // its own fd is counted every time, so it cancels out
    REQUIRE(dir != nullptr);
    while (dirent* entry = ::readdir(dir)) {
        count += entry->d_name[0] != '.';
    }
    ::closedir(dir);
    return count;
}

int thread_count() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("Threads:")) {
            return std::stoi(line.substr(8));
        }
    }
    FAIL("no Threads: line in /proc/self/status");
    return -1;
}

// Runs server.run() on its own thread while `clients` talks to it, then stops it the way SIGTERM does.
template <typename Server, typename Clients>
void run_in_process(Clients clients) {
    stop_event stop;
    Server server(server_options{.host = "127.0.0.1", .port = 0});
    std::exception_ptr failure;
    std::thread runner([&] {
        try {
            server.run(stop.fd());
        } catch (...) {
            failure = std::current_exception(); // rethrown below, on the test's thread
        }
    });
    auto still_open = clients(server.port()); // sockets the clients keep open while the server stops
    stop.notify();
    runner.join();
    if (failure) {
        std::rethrow_exception(failure);
    }
}

// A bit of everything: echoes, a reset, a half-close, and clients still connected when the server stops.
template <typename Server>
void exercise_server(bool concurrent) {
    run_in_process<Server>([&](std::uint16_t port) {
        {
            file_descriptor a = connect_client(port);
            REQUIRE(round_trip(a.get(), "hello") == "hello");
            reset_connection(a);
        }
        {
            file_descriptor b = connect_client(port);
            write_all(b.get(), "half");
            ::shutdown(b.get(), SHUT_WR);
            REQUIRE(read_to_end(b.get()) == "half");
        }
        std::vector<file_descriptor> still_connected;
        for (int i = 0; i < (concurrent ? 10 : 1); ++i) {
            still_connected.push_back(connect_client(port));
            REQUIRE(round_trip(still_connected.back().get(), "hi") == "hi");
        }
        // Returning closes these only after the server stopped: it must clean up connections it still has.
        return still_connected;
    });
}

} // namespace

TEST_CASE("a run of the iterative server leaves no file descriptor open") {
    int before = open_fd_count();
    exercise_server<echo_server>(false);
    CHECK(open_fd_count() == before);
}

TEST_CASE("a run of the threaded server leaves no file descriptor open and no thread running") {
    int fds_before = open_fd_count();
    int threads_before = thread_count();
    exercise_server<threaded_echo_server>(true);
    CHECK(open_fd_count() == fds_before);
    CHECK(thread_count() == threads_before);
}

TEST_CASE("the threaded server joins finished connection threads while it runs, not only at the end") {
    stop_event stop;
    threaded_echo_server server(server_options{.host = "127.0.0.1", .port = 0});
    std::thread runner([&] { server.run(stop.fd()); });
    for (int i = 0; i < 20; ++i) {
        file_descriptor c = connect_client(server.port());
        REQUIRE(round_trip(c.get(), "x") == "x");
        ::shutdown(c.get(), SHUT_WR);
        REQUIRE(read_to_end(c.get()).empty()); // the server's FIN: this connection's thread is finishing
    }
    // The acceptor joins a finished thread when it next wakes up. Wake it with probe connections (each one
    // passes through its poll loop) until at most the probe's own thread is left: bounded, no sleeping.
    std::size_t left = server.connection_count();
    for (int attempt = 0; attempt < 200 && left > 1; ++attempt) {
        file_descriptor probe = connect_client(server.port());
        REQUIRE(round_trip(probe.get(), "p") == "p");
        probe.reset();
        left = server.connection_count();
    }
    CHECK(left <= 1); // not 20: finished threads do not pile up
    stop.notify();
    runner.join();
    CHECK(server.connection_count() == 0);
}
