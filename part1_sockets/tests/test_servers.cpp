// The behaviour a client sees, over real loopback sockets, for both servers started as real processes.
#include "test_support.hpp"

#include <signal.h>

#include <thread>

namespace {

const std::vector<std::string> both_servers{ECHO_SERVER_PATH, THREADED_ECHO_SERVER_PATH};

} // namespace

TEST_CASE("one byte comes back") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        file_descriptor client = connect_client(server.port);
        CHECK(round_trip(client.get(), "x") == "x");
    }
}

TEST_CASE("a 4 MiB payload comes back whole and in order, through partial reads and writes") {
    const std::string payload = pattern(4 << 20, 1);
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        file_descriptor client = connect_client(server.port);
        // Write from a second thread: the echo fills our receive buffer long before 4 MiB are sent, and a
        // client that only wrote would deadlock against a server blocked writing the echo back.
        std::thread writer([&] {
            write_all(client.get(), payload);
            ::shutdown(client.get(), SHUT_WR); // half-close: "that was everything"
        });
        std::string echo = read_to_end(client.get());
        writer.join();
        CHECK(echo.size() == payload.size());
        CHECK(echo == payload);
    }
}

TEST_CASE("many small messages come back one by one") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        file_descriptor client = connect_client(server.port);
        int mismatches = 0;
        for (int i = 0; i < 2000; ++i) {
            std::string message =
                "message " + std::to_string(i) + pattern(static_cast<std::size_t>(i % 37), i);
            mismatches += round_trip(client.get(), message) != message;
        }
        CHECK(mismatches == 0);
    }
}

TEST_CASE("the iterative server serves a second client only after the first disconnects") {
    running_server server = start_server(ECHO_SERVER_PATH);
    file_descriptor first = connect_client(server.port);
    REQUIRE(round_trip(first.get(), "first") == "first");

    // The kernel completes the second connection from the backlog, so connect() and the write succeed...
    file_descriptor second = connect_client(server.port);
    write_all(second.get(), "second");
    // ...but the server is still inside the first client's loop: this round trip proves it ran after the
    // second client's bytes were sent, and they have not been echoed.
    REQUIRE(round_trip(first.get(), "still first") == "still first");
    CHECK_FALSE(readable_now(second.get()));

    first.reset(); // FIN: the server leaves the first client's loop and accepts the second
    std::string echo(6, '\0');
    CHECK(read_exact(second.get(), echo) == 6);
    CHECK(echo == "second");
}

TEST_CASE("the threaded server serves a second client while the first is still connected") {
    running_server server = start_server(THREADED_ECHO_SERVER_PATH);
    file_descriptor first = connect_client(server.port);
    REQUIRE(round_trip(first.get(), "first") == "first");
    file_descriptor second = connect_client(server.port);
    CHECK(round_trip(second.get(), "second") == "second"); // would time out against the iterative server
}

TEST_CASE("100 concurrent clients of the threaded server each get exactly their own bytes back") {
    running_server server = start_server(THREADED_ECHO_SERVER_PATH);
    constexpr int clients = 100;
    std::vector<file_descriptor> sockets;
    std::vector<std::string> payloads;
    for (int i = 0; i < clients; ++i) {
        sockets.push_back(connect_client(server.port));
        payloads.push_back("client " + std::to_string(i) + ":" + pattern(2000, static_cast<unsigned>(i)));
        write_all(sockets.back().get(), payloads.back());
    }
    // Everyone is connected and has sent. Read the last client first: a server serving one client at a
    // time would still be busy with client 0.
    int wrong = 0;
    for (int i = clients - 1; i >= 0; --i) {
        std::string echo(payloads[i].size(), '\0');
        echo.resize(read_exact(sockets[i].get(), echo));
        wrong += echo != payloads[i];
    }
    CHECK(wrong == 0);
    // Exactly: after our half-close nothing more arrives, only the server's FIN.
    int extra = 0;
    for (int i = 0; i < clients; ++i) {
        ::shutdown(sockets[i].get(), SHUT_WR);
        extra += !read_to_end(sockets[i].get()).empty();
    }
    CHECK(extra == 0);
}

TEST_CASE("a client that resets mid-stream does not stop the server, and the next client is served") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        {
            file_descriptor rude = connect_client(server.port);
            // Send as much as fits without blocking and read nothing back: the server is now echoing into a
            // full buffer (or about to) when the reset arrives, so its next send fails with EPIPE/ECONNRESET.
            const std::string chunk = pattern(64 * 1024, 7);
            for (int i = 0; i < 64; ++i) {
                if (::send(rude.get(), chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
                    break;
                }
            }
            reset_connection(rude);
        }
        file_descriptor next = connect_client(server.port);
        CHECK(round_trip(next.get(), "still there?") == "still there?");
    }
}

TEST_CASE("a client that half-closes mid-message gets its bytes back, then the next client is served") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        {
            file_descriptor client = connect_client(server.port);
            write_all(client.get(), "no newline at the end");
            ::shutdown(client.get(), SHUT_WR);
            CHECK(read_to_end(client.get()) == "no newline at the end");
        }
        file_descriptor next = connect_client(server.port);
        CHECK(round_trip(next.get(), "next") == "next");
    }
}

TEST_CASE("SIGTERM with clients connected ends the server with exit status 0 and closes the clients") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        std::vector<file_descriptor> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(connect_client(server.port));
        }
        REQUIRE(round_trip(clients[0].get(), "being served") == "being served");
        server.process->send_signal(SIGTERM);
        // Exit status 0 means main() returned: a connection thread still joinable at that point would have
        // called std::terminate (status 134).
        CHECK(server.process->wait_exit(generous) == 0);
        CHECK(read_to_end(clients[0].get()).empty()); // our connection ended with a FIN, not a hang
    }
}

TEST_CASE("SIGINT stops a server that has no clients, with exit status 0") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        server.process->send_signal(SIGINT);
        CHECK(server.process->wait_exit(generous) == 0);
    }
}

TEST_CASE("the threaded server over its connection cap closes the extra connection and logs it") {
    running_server server = start_server(THREADED_ECHO_SERVER_PATH, {"--max-connections", "2"}, true);
    file_descriptor a = connect_client(server.port);
    file_descriptor b = connect_client(server.port);
    REQUIRE(round_trip(a.get(), "a") == "a");
    REQUIRE(round_trip(b.get(), "b") == "b");

    file_descriptor refused = connect_client(server.port);
    CHECK(read_to_end(refused.get()).empty()); // a clean end of stream, no bytes

    ::shutdown(a.get(), SHUT_WR);
    REQUIRE(read_to_end(a.get()).empty()); // the server closed a's connection: its slot is free
    file_descriptor c = connect_client(server.port);
    CHECK(round_trip(c.get(), "c") == "c");

    server.process->send_signal(SIGTERM);
    CHECK(server.process->wait_exit(generous) == 0);
    CHECK(server.process->read_stderr_to_end(generous).find("refused") != std::string::npos);
}

TEST_CASE("the threaded server out of file descriptors logs it, keeps its clients, and recovers") {
#ifdef PART1_SANITIZED
    MESSAGE("skipped in a sanitizer build: the sanitizer runtime itself fails without free descriptors");
    return;
#endif
    // prlimit (util-linux) starts the server with at most 32 descriptors, soft and hard: raise_fd_limit()
    // cannot lift it, so about two dozen clients exhaust it.
    running_server server;
    {
        std::vector<std::string> argv{"/usr/bin/prlimit", "--nofile=32:32", THREADED_ECHO_SERVER_PATH,
                                      "--port", "0"};
        server.process = std::make_unique<child_process>(argv, true);
        auto line = server.process->read_stdout_line(generous);
        REQUIRE(line.has_value());
        server.port = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
    }
    std::vector<file_descriptor> clients;
    for (int i = 0; i < 40; ++i) {
        clients.push_back(connect_client(server.port)); // all complete: the kernel queues them in the backlog
    }
    // Wait for the event: the server's log line saying accept4 ran out of descriptors.
    bool exhausted = false;
    for (int i = 0; i < 1000 && !exhausted; ++i) {
        auto line = server.process->read_stderr_line(generous);
        if (!line) {
            break;
        }
        exhausted = line->find("accept4: Too many open files") != std::string::npos;
    }
    REQUIRE(exhausted);
    CHECK(round_trip(clients[0].get(), "served") == "served"); // accepted clients are still served
    clients.clear();                                           // free the descriptors
    file_descriptor next = connect_client(server.port);
    CHECK(round_trip(next.get(), "recovered") == "recovered");
    server.process->send_signal(SIGTERM);
    CHECK(server.process->wait_exit(generous) == 0);
}
