// echo_client checks every echo: it succeeds against a real echo server and fails against a liar.
#include "test_support.hpp"

#include <thread>

namespace {

struct outcome {
    int status;
    std::string out;
};

outcome run_client(std::vector<std::string> argv) {
    child_process child(argv);
    outcome o;
    while (auto line = child.read_stdout_line(generous)) {
        o.out += *line + "\n";
    }
    o.status = child.wait_exit(generous);
    return o;
}

} // namespace

TEST_CASE("echo_client reports latency after all echoes matched") {
    running_server server = start_server(ECHO_SERVER_PATH);
    outcome o = run_client(
        {ECHO_CLIENT_PATH, "--port", std::to_string(server.port), "--message", "hello", "--count", "50"});
    CHECK(o.status == 0);
    CHECK(o.out.find("50 round trips, latency us: min ") != std::string::npos);
}

TEST_CASE("echo_client exits non-zero when the echo differs from what it sent") {
    // A one-connection "server" that answers with upper case: not an echo.
    file_descriptor listener = listen_on("127.0.0.1", 0, 1);
    std::thread liar([&] {
        file_descriptor c(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        std::string got(6, '\0');
        if (read_exact(c.get(), got) == 6) {
            write_all(c.get(), "HELLO\n");
        }
    });
    outcome o = run_client({ECHO_CLIENT_PATH, "--port", std::to_string(local_port(listener.get())),
                            "--message", "hello", "--count", "1"});
    liar.join();
    CHECK(o.status == 1);
}

TEST_CASE("echo_client with a bad count exits with status 2") {
    CHECK(run_client({ECHO_CLIENT_PATH, "--count", "zero"}).status == 2);
}
