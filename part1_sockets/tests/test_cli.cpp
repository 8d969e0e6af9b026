// The command-line contract every server of the tutorial follows.
#include "cli.hpp"
#include "test_support.hpp"

#include <algorithm>

namespace {

const std::vector<std::string> both_servers{ECHO_SERVER_PATH, THREADED_ECHO_SERVER_PATH};

// "listening on " + host + ":" + a port number, nothing else.
bool is_listening_line(const std::string& line, const std::string& host) {
    std::string prefix = "listening on " + host + ":";
    if (!line.starts_with(prefix) || line.size() == prefix.size()) {
        return false;
    }
    return line.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
}

struct outcome {
    int status;
    std::string out;
    std::string err;
};

outcome run_to_exit(std::vector<std::string> argv) {
    child_process child(argv, true);
    outcome o;
    while (auto line = child.read_stdout_line(generous)) {
        o.out += *line + "\n";
    }
    o.err = child.read_stderr_to_end(generous);
    o.status = child.wait_exit(generous);
    return o;
}

} // namespace

TEST_CASE("a bad port exits with status 2 and one line on stderr") {
    for (const std::string& path : both_servers) {
        for (const char* port : {"70000", "-1", "abc", "80x", ""}) {
            CAPTURE(path);
            CAPTURE(port);
            outcome o = run_to_exit({path, "--port", port});
            CHECK(o.status == 2);
            CHECK(o.out.empty());
            CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
            CHECK(o.err.find("--port") != std::string::npos);
        }
    }
}

TEST_CASE("an unknown argument or a missing value exits with status 2") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        CHECK(run_to_exit({path, "--bogus"}).status == 2);
        CHECK(run_to_exit({path, "--port"}).status == 2);
    }
    CHECK(run_to_exit({ECHO_SERVER_PATH, "--max-connections", "5"}).status == 2); // not a threaded server
    CHECK(run_to_exit({THREADED_ECHO_SERVER_PATH, "--max-connections", "0"}).status == 2);
}

TEST_CASE("--help prints usage and exits 0") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        outcome o = run_to_exit({path, "--help"});
        CHECK(o.status == 0);
        CHECK(o.out.starts_with("usage: "));
    }
}

TEST_CASE("the listening line names the host and the real port") {
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path);
        CHECK(is_listening_line(server.listening_line, "127.0.0.1"));
        CHECK(server.port != 0);
        file_descriptor client = connect_client(server.port); // the port printed is the port listening
        CHECK(round_trip(client.get(), "ok") == "ok");
    }
}

TEST_CASE("a server listens on IPv6 when asked to") {
    try {
        listen_on("::1", 0, 1); // a container without IPv6 cannot run this test
    } catch (const std::exception& e) {
        MESSAGE("IPv6 loopback unavailable, skipped: " << e.what());
        return;
    }
    for (const std::string& path : both_servers) {
        CAPTURE(path);
        running_server server = start_server(path, {"--host", "::1"});
        CHECK(is_listening_line(server.listening_line, "[::1]"));
        file_descriptor client = connect_client(server.port, "::1");
        CHECK(round_trip(client.get(), "v6") == "v6");
    }
}

TEST_CASE("the option parser takes both --name value and --name=value") {
    const char* argv[] = {"server", "--port=8080", "--host", "::1", "--max-connections=7"};
    server_options o = parse_server_options(5, const_cast<char**>(argv), true);
    CHECK(o.port == 8080);
    CHECK(o.host == "::1");
    CHECK(o.max_connections == 7);
}
