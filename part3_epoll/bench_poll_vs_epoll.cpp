// bench_poll_vs_epoll: what one wait call costs when N descriptors are idle and one is ready.
// poll() hands the kernel the whole array on every call and the kernel checks every entry; epoll keeps the
// interest list in the kernel and epoll_wait() only looks at the ready list. Prints a table; --csv FILE
// also writes the numbers for the plot in docs/.
#include "fd.hpp"
#include "net.hpp"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

struct result {
    std::size_t idle = 0;
    double poll_ns = 0, epoll_ns = 0, register_us = 0;
};

// Median time per call, in ns, of `call` over 7 rounds of about 30 ms each.
template <class F>
double median_ns_per_call(F call) {
    std::size_t per_round = 1;
    for (;;) { // calibrate: double until a round takes 30 ms
        const auto start = clock_type::now();
        for (std::size_t i = 0; i < per_round; ++i) {
            call();
        }
        if (clock_type::now() - start >= std::chrono::milliseconds(30)) {
            break;
        }
        per_round *= 2;
    }
    std::vector<double> rounds;
    for (int r = 0; r < 7; ++r) {
        const auto start = clock_type::now();
        for (std::size_t i = 0; i < per_round; ++i) {
            call();
        }
        const std::chrono::duration<double, std::nano> took = clock_type::now() - start;
        rounds.push_back(took.count() / static_cast<double>(per_round));
    }
    std::sort(rounds.begin(), rounds.end());
    return rounds[rounds.size() / 2];
}

result measure(std::size_t idle) {
    // Both ends of an idle socket pair are idle descriptors: N idle descriptors cost N descriptors, not 2N.
    std::vector<unique_fd> fds;
    for (std::size_t i = 0; i < idle; i += 2) {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
            throw_errno("socketpair");
        }
        fds.emplace_back(pair[0]);
        fds.emplace_back(pair[1]);
    }
    fds.resize(idle);
    int active_pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, active_pair) != 0) {
        throw_errno("socketpair");
    }
    unique_fd active(active_pair[0]), active_peer(active_pair[1]);
    if (::write(active_peer.get(), "x", 1) != 1) { // never read: `active` stays readable
        throw_errno("write");
    }

    std::vector<pollfd> polls;
    for (const auto& fd : fds) {
        polls.push_back({fd.get(), POLLIN, 0});
    }
    polls.push_back({active.get(), POLLIN, 0}); // last: poll must walk past every idle entry

    unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
    if (!ep) {
        throw_errno("epoll_create1");
    }
    const auto reg_start = clock_type::now();
    for (const auto& p : polls) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = p.fd;
        if (::epoll_ctl(ep.get(), EPOLL_CTL_ADD, p.fd, &ev) != 0) {
            throw_errno("epoll_ctl");
        }
    }
    const std::chrono::duration<double, std::micro> reg = clock_type::now() - reg_start;

    result r;
    r.idle = idle;
    r.register_us = reg.count();
    r.poll_ns = median_ns_per_call([&] {
        if (::poll(polls.data(), polls.size(), 0) != 1) {
            throw std::runtime_error("poll: expected exactly one ready descriptor");
        }
    });
    epoll_event events[64];
    r.epoll_ns = median_ns_per_call([&] {
        if (::epoll_wait(ep.get(), events, 64, 0) != 1) {
            throw std::runtime_error("epoll_wait: expected exactly one ready descriptor");
        }
    });
    return r;
}

} // namespace

int main(int argc, char** argv) {
    std::string csv_path;
    std::vector<std::size_t> sizes{10, 100, 1000, 10000};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--csv" && i + 1 < argc) {
            csv_path = argv[++i];
        } else if (arg == "--help") {
            std::puts("usage: bench_poll_vs_epoll [--csv FILE]\n"
                      "  times poll() and epoll_wait() with N idle descriptors and one ready one,\n"
                      "  N = 10, 100, 1000, 10000; prints a table, --csv also writes it as CSV");
            return 0;
        } else {
            std::fprintf(stderr, "bench_poll_vs_epoll: unknown argument: %s\n", arg.c_str());
            return 2;
        }
    }
    try {
        const std::uint64_t limit = raise_fd_limit();
        std::vector<result> results;
        std::printf("%10s %16s %16s %8s %20s\n", "idle fds", "poll ns/call", "epoll_wait ns/call", "ratio",
                    "epoll_ctl ADD total");
        for (std::size_t n : sizes) {
            if (n + 32 > limit) { // the pairs, the epoll fd, stdio and a margin
                std::printf("%10zu  skipped: needs %zu descriptors, RLIMIT_NOFILE allows %llu\n", n, n + 32,
                            static_cast<unsigned long long>(limit));
                continue;
            }
            const result r = measure(n);
            results.push_back(r);
            std::printf("%10zu %16.0f %16.0f %7.1fx %17.0f us\n", r.idle, r.poll_ns, r.epoll_ns,
                        r.poll_ns / r.epoll_ns, r.register_us);
            std::fflush(stdout);
        }
        if (!csv_path.empty()) {
            std::ofstream csv(csv_path);
            csv << std::fixed << std::setprecision(1);
            csv << "idle_fds,poll_ns_per_call,epoll_wait_ns_per_call,epoll_ctl_add_total_us\n";
            for (const auto& r : results) {
                csv << r.idle << ',' << r.poll_ns << ',' << r.epoll_ns << ',' << r.register_us << '\n';
            }
            if (!csv) {
                throw std::runtime_error("cannot write " + csv_path);
            }
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_poll_vs_epoll: %s\n", e.what());
        return 1;
    }
}
