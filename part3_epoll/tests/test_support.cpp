// test_support.cpp: see test_support.hpp.
#include "test_support.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace {
[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}
} // namespace

server_process::server_process(const std::string& path, const std::vector<std::string>& args, long fd_limit) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        throw_errno("pipe2");
    }
    unique_fd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(path.c_str()));
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) {
        throw_errno("fork");
    }
    if (pid_ == 0) { // child: only async-signal-safe calls until exec
        ::dup2(write_end.get(), STDOUT_FILENO);
        if (fd_limit > 0) {
            rlimit limit{static_cast<rlim_t>(fd_limit), static_cast<rlim_t>(fd_limit)};
            ::setrlimit(RLIMIT_NOFILE, &limit);
        }
        ::execv(path.c_str(), argv.data());
        ::_exit(127);
    }
    write_end.reset();
    stdout_ = std::move(read_end);
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (line.find('\n') == std::string::npos) {
        pollfd p{stdout_.get(), POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) <= 0) {
            throw std::runtime_error("server did not print its listening line within 10 s: " + path);
        }
        char buf[256];
        const ssize_t n = ::read(stdout_.get(), buf, sizeof buf);
        if (n <= 0) {
            throw std::runtime_error("server exited before listening: " + path);
        }
        line.append(buf, static_cast<std::size_t>(n));
    }
    const auto colon = line.rfind(':', line.find('\n'));
    if (line.rfind("listening on ", 0) != 0 || colon == std::string::npos) {
        throw std::runtime_error("unexpected first line: " + line);
    }
    port_ = static_cast<std::uint16_t>(std::stoul(line.substr(colon + 1)));
}

server_process::~server_process() {
    if (pid_ > 0 && running()) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

bool server_process::running() {
    if (pid_ <= 0) {
        return false;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

int server_process::terminate_and_wait(std::chrono::milliseconds bound) {
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return status;
        }
        // A child's exit is not a pollable event without pidfd; check every few milliseconds, bounded.
        std::this_thread::sleep_for(5ms);
    }
    return -1;
}

long server_process::status_kib(const char* field) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) {
            return std::stol(line.substr(prefix.size()));
        }
    }
    return -1;
}

std::size_t server_process::open_fds() const {
    const std::string dir = "/proc/" + std::to_string(pid_) + "/fd";
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
        throw_errno("opendir");
    }
    std::size_t count = 0;
    while (const dirent* e = ::readdir(d)) {
        if (e->d_name[0] != '.') {
            ++count;
        }
    }
    ::closedir(d);
    return count;
}

long server_process::cpu_ticks() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(all.substr(all.rfind(')') + 2)); // the command name may contain spaces
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) { // field 3 is the state
        if (i == 14) {
            utime = std::stol(field);
        } else if (i == 15) {
            stime = std::stol(field);
            break;
        }
    }
    return utime + stime;
}

unique_fd connect_to(std::uint16_t port) {
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        throw_errno("socket");
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        throw_errno("connect");
    }
    return fd;
}

void write_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("send");
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void write_all(int fd, const std::string& data) {
    write_all(fd, data.data(), data.size());
}

bool readable_within(int fd, std::chrono::milliseconds bound) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(bound.count())) > 0;
}

std::string read_exact(int fd, std::size_t size, std::chrono::milliseconds bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    std::string out;
    char buf[65536];
    while (out.size() < size) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) <= 0) {
            throw std::runtime_error("read_exact: timed out after " + std::to_string(out.size()) + " of " +
                                     std::to_string(size) + " bytes");
        }
        const ssize_t n = ::read(fd, buf, std::min(sizeof buf, size - out.size()));
        if (n < 0) {
            throw_errno("read");
        }
        if (n == 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::string read_to_eof(int fd, std::chrono::milliseconds bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    std::string out;
    char buf[65536];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) <= 0) {
            throw std::runtime_error("read_to_eof: no end of stream after " + std::to_string(out.size()) +
                                     " bytes");
        }
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            throw_errno("read");
        }
        if (n == 0) {
            return out;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
}

void reset_connection(unique_fd fd) {
    const linger lin{1, 0};
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &lin, sizeof lin) != 0) {
        throw_errno("setsockopt(SO_LINGER)");
    }
    fd.reset();
}

std::string pattern(std::size_t size, unsigned seed) {
    std::string s(size, '\0');
    std::uint32_t x = seed * 2654435761U + 1;
    for (auto& c : s) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    return s;
}
