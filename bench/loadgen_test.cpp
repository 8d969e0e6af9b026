// loadgen_test.cpp: loadgen against a tiny echo server living in this test, over real loopback sockets.
// The server can be told to misbehave (flip a byte, hang up) so that every check can be seen to fail.
#include "unique_fd.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace {

// The loadgen binary's path, given by Meson as our first argument (doctest ignores it).
std::string loadgen_path() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> args;
    for (std::string arg; std::getline(in, arg, '\0');) {
        args.push_back(arg);
    }
    for (const auto& a : args) {
        if (a.size() >= 8 && a.ends_with("/loadgen")) {
            return a;
        }
    }
    throw std::runtime_error("pass the loadgen binary's path as an argument");
}

enum class echo_mode { faithful, flip_byte_100, hang_up_after_100 };

// One thread, one poll() over the listener and every client. Blocking writes are fine here: loadgen
// always reads, so a write never waits for long.
class echo_server {
public:
    explicit echo_server(echo_mode mode) : mode_(mode) {
        listener_ = unique_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(listener_.get(), SOMAXCONN) != 0 ||
            ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::system_error(errno, std::generic_category(), "listen");
        }
        port_ = ntohs(addr.sin_port);
        int pipe_fds[2];
        if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
            throw std::system_error(errno, std::generic_category(), "pipe2");
        }
        wake_read_ = unique_fd(pipe_fds[0]);
        wake_write_ = unique_fd(pipe_fds[1]);
        thread_ = std::thread([this] { serve(); });
    }
    ~echo_server() {
        ::close(wake_write_.get()); // end of file on the wake pipe ends serve()
        thread_.join();
    }
    echo_server(const echo_server&) = delete;
    echo_server& operator=(const echo_server&) = delete;

    int port() const { return port_; }
    int open_connections() const { return open_.load(); }

private:
    void serve() {
        std::map<int, std::pair<unique_fd, std::uint64_t>> clients; // fd -> (socket, bytes echoed)
        for (int round = 0; round < 10'000'000; ++round) {
            std::vector<pollfd> fds{{wake_read_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
            for (auto& [fd, client] : clients) {
                fds.push_back({fd, POLLIN, 0});
            }
            if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) {
                return;
            }
            if (fds[0].revents) {
                return;
            }
            if (fds[1].revents) {
                unique_fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
                if (client) {
                    const int fd = client.get();
                    clients.emplace(fd, std::make_pair(std::move(client), std::uint64_t{0}));
                    ++open_;
                }
            }
            for (std::size_t i = 2; i < fds.size(); ++i) {
                if (fds[i].revents && !echo_once(clients.at(fds[i].fd))) {
                    clients.erase(fds[i].fd);
                    --open_;
                }
            }
        }
    }

    // Returns false when the connection is over.
    bool echo_once(std::pair<unique_fd, std::uint64_t>& client) {
        char buf[16384];
        const ssize_t n = ::recv(client.first.get(), buf, sizeof buf, 0);
        if (n <= 0) {
            return false;
        }
        const std::uint64_t from = client.second;
        if (mode_ == echo_mode::hang_up_after_100 && from + n > 100) {
            return false;
        }
        if (mode_ == echo_mode::flip_byte_100 && from <= 100 && 100 < from + n) {
            buf[100 - from] ^= 0x20;
        }
        client.second += static_cast<std::uint64_t>(n);
        return ::send(client.first.get(), buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) == n;
    }

    echo_mode mode_;
    unique_fd listener_;
    unique_fd wake_read_;
    unique_fd wake_write_;
    int port_ = 0;
    std::atomic<int> open_{0};
    std::thread thread_;
};

// A running loadgen with its stdin and stdout on pipes.
class loadgen_process {
public:
    explicit loadgen_process(std::vector<std::string> args) {
        args.insert(args.begin(), loadgen_path());
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
            throw std::system_error(errno, std::generic_category(), "pipe2");
        }
        pid_ = ::fork();
        if (pid_ < 0) {
            throw std::system_error(errno, std::generic_category(), "fork");
        }
        if (pid_ == 0) {
            ::dup2(in[0], STDIN_FILENO);
            ::dup2(out[1], STDOUT_FILENO);
            std::vector<char*> argv;
            for (auto& a : args) {
                argv.push_back(a.data());
            }
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = unique_fd(in[1]);
        stdout_ = unique_fd(out[0]);
    }
    ~loadgen_process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    loadgen_process(const loadgen_process&) = delete;
    loadgen_process& operator=(const loadgen_process&) = delete;

    // Reads stdout until a newline (or end of file), waiting at most `limit`.
    std::string read_line(std::chrono::seconds limit = std::chrono::seconds(60)) {
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{stdout_.get(), POLLIN, 0};
            if (::poll(&p, 1, 1000) <= 0) {
                continue;
            }
            char c;
            if (::read(stdout_.get(), &c, 1) != 1 || c == '\n') {
                return line;
            }
            line += c;
        }
        throw std::runtime_error("loadgen printed no line in time");
    }

    void close_stdin() { stdin_.reset(); }

    // Waits for the exit status, at most `limit`: loadgen's stdout reaches end of file when it exits.
    int wait(std::chrono::seconds limit = std::chrono::seconds(60)) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        char sink[256];
        for (;;) {
            if (std::chrono::steady_clock::now() >= deadline) {
                throw std::runtime_error("loadgen did not exit in time");
            }
            pollfd p{stdout_.get(), POLLIN, 0};
            if (::poll(&p, 1, 1000) > 0 && ::read(stdout_.get(), sink, sizeof sink) <= 0) {
                break;
            }
        }
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    pid_t pid_ = -1;
    unique_fd stdin_;
    unique_fd stdout_;
};

double json_number(const std::string& json, const std::string& key) {
    const auto at = json.find("\"" + key + "\": ");
    if (at == std::string::npos) {
        throw std::runtime_error("no " + key + " in " + json);
    }
    return std::strtod(json.c_str() + at + key.size() + 4, nullptr);
}

struct outcome {
    int status;
    std::string json;
};

outcome run_loadgen(const echo_server& server, std::vector<std::string> args) {
    args.insert(args.end(), {"--port", std::to_string(server.port()), "--json", "--timeout", "20"});
    loadgen_process p(args);
    std::string json = p.read_line();
    return {p.wait(), json};
}

} // namespace

TEST_CASE("loadgen measures exactly the number of messages asked for") {
    echo_server server(echo_mode::faithful);
    SUBCASE("seven connections, three messages in flight, after a warm-up") {
        const auto r = run_loadgen(
            server, {"--connections", "7", "--pipeline", "3", "--messages", "1000", "--warmup", "0.2"});
        CHECK(r.status == 0);
        CHECK(json_number(r.json, "messages") == 1000);
        CHECK(json_number(r.json, "mismatches") == 0);
        CHECK(json_number(r.json, "errors") == 0);
        CHECK(json_number(r.json, "all_messages") >= 1007); // the ramp's one message per connection
    }
    SUBCASE("two threads, messages larger than a socket read, fewer messages than connections") {
        const auto r = run_loadgen(server, {"--connections", "9", "--threads", "2", "--message-size", "70001",
                                            "--messages", "5", "--warmup", "0"});
        CHECK(r.status == 0);
        CHECK(json_number(r.json, "messages") == 5);
        CHECK(json_number(r.json, "mismatches") == 0);
    }
}

TEST_CASE("loadgen with --duration measures messages for about that long") {
    echo_server server(echo_mode::faithful);
    const auto r = run_loadgen(server, {"--connections", "3", "--duration", "0.3", "--warmup", "0.1"});
    CHECK(r.status == 0);
    CHECK(json_number(r.json, "messages") > 0);
    CHECK(json_number(r.json, "seconds") >= 0.25);
    CHECK(json_number(r.json, "rtt_p50_us") > 0);
    CHECK(json_number(r.json, "rtt_p99_us") >= json_number(r.json, "rtt_p50_us"));
}

TEST_CASE("an echo that flips one byte is reported as a mismatch and loadgen exits non-zero") {
    echo_server server(echo_mode::flip_byte_100);
    const auto r = run_loadgen(server, {"--connections", "4", "--messages", "400", "--warmup", "0"});
    CHECK(r.status == 1);
    CHECK(json_number(r.json, "mismatches") == 4); // byte 100 of each connection's stream
    CHECK(json_number(r.json, "errors") == 0);
}

TEST_CASE("a server that hangs up mid-run is counted as an error and loadgen exits non-zero") {
    echo_server server(echo_mode::hang_up_after_100);
    const auto r = run_loadgen(server, {"--connections", "2", "--messages", "100", "--warmup", "0"});
    CHECK(r.status == 1);
    CHECK(json_number(r.json, "errors") == 2);
}

TEST_CASE("loadgen --idle holds every connection open until its stdin closes") {
    echo_server server(echo_mode::faithful);
    loadgen_process p(
        {"--port", std::to_string(server.port()), "--idle", "--connections", "300", "--connect-batch", "50"});
    CHECK(p.read_line() == "connected 300");
    CHECK(server.open_connections() == 300);
    p.close_stdin();
    CHECK(p.wait() == 0);
}
