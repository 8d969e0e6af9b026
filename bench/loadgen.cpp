// loadgen.cpp: a load generator for the echo protocol, used by bench/compare and usable on its own:
//
//     loadgen --port 7000 --connections 50 --message-size 64 --duration 5
//
// It opens the connections in batches, proves each one is served (one echoed message), then keeps
// `--pipeline` messages in flight on every connection for the warm-up and the measured phase, on one or
// more event loops. Every echoed byte is checked. The result: messages/s, MB/s of echoed payload, round-trip
// percentiles, mismatches and failed connections; exit status 1 if any byte or connection went wrong.
#include "load_loop.hpp"
#include "options.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace {

// Each connection needs a descriptor; the default soft limit (often 1024) is far below 5 000.
void raise_fd_limit(std::size_t needed) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        throw std::system_error(errno, std::generic_category(), "getrlimit");
    }
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        throw std::system_error(errno, std::generic_category(), "setrlimit");
    }
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
        throw std::runtime_error("RLIMIT_NOFILE hard limit " + std::to_string(limit.rlim_cur) +
                                 " is below the " + std::to_string(needed) +
                                 " descriptors needed (raise it with ulimit -n)");
    }
}

struct address {
    sockaddr_storage storage{};
    socklen_t length = 0;
};

address resolve(const options& opt) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(opt.host.c_str(), opt.port.c_str(), &hints, &found); rc != 0) {
        throw std::runtime_error("getaddrinfo " + opt.host + ": " + ::gai_strerror(rc));
    }
    address a;
    std::memcpy(&a.storage, found->ai_addr, found->ai_addrlen);
    a.length = found->ai_addrlen;
    ::freeaddrinfo(found);
    return a;
}

// Starts a non-blocking connect. A refused or impossible connect marks the connection failed.
void start_connect(connection& c, const address& to, load_stats& stats) {
    c.sock = unique_fd(::socket(to.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!c.sock) {
        throw std::system_error(errno, std::generic_category(), "socket");
    }
    // Messages are small and each waits for its echo: without TCP_NODELAY, Nagle's algorithm would hold
    // back the second message of a pipeline until the first is acknowledged.
    const int one = 1;
    ::setsockopt(c.sock.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(c.sock.get(), reinterpret_cast<const sockaddr*>(&to.storage), to.length) == 0) {
        c.status = connection::state::open;
    } else if (errno == EINPROGRESS) {
        c.status = connection::state::connecting;
    } else {
        log_connection_error(c.index, "connect", errno);
        c.status = connection::state::failed;
        c.sock.reset();
        ++stats.errors;
    }
}

// Opens the connections `batch` at a time, and waits for one echoed message on each before the next
// batch. Opening 5 000 at once overflows the server's accept queue: the kernel drops SYNs, and the client
// retries a second later, which would look like a one-second latency spike. Waiting for an echo (not only
// for connect() to finish) also proves the server accepted the connection and serves it.
load_stats ramp_up(std::vector<connection>& conns, const options& opt, const payload_pool& pool) {
    const address to = resolve(opt);
    load_stats total;
    for (std::size_t first = 0; first < conns.size(); first += opt.connect_batch) {
        load_loop loop(
            pool, opt.message_size, opt.pipeline,
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(opt.timeout)));
        const std::size_t last = std::min(conns.size(), first + opt.connect_batch);
        for (std::size_t i = first; i < last; ++i) {
            conns[i].start_limit = 1;
            start_connect(conns[i], to, loop.stats());
            if (conns[i].status != connection::state::failed) {
                loop.add(conns[i]);
            }
        }
        loop.run(phase{});
        total.merge(loop.stats());
    }
    for (auto& c : conns) {
        c.start_limit = unlimited;
    }
    return total;
}

struct result {
    load_stats stats;
    double seconds = 0;
    double connect_seconds = 0;
    std::size_t connected = 0;
};

// Runs the warm-up and the measured phase on `threads` event loops, connections dealt out round-robin.
void run_load(std::vector<connection>& conns, const options& opt, const payload_pool& pool, result& out) {
    const auto now = bench_clock::now();
    phase p;
    p.measure_from =
        now + std::chrono::duration_cast<bench_clock::duration>(std::chrono::duration<double>(opt.warmup));
    if (!opt.messages) {
        p.count_by_completion = true;
        p.stop_starting_at = p.measure_from + std::chrono::duration_cast<bench_clock::duration>(
                                                  std::chrono::duration<double>(opt.duration));
    }
    const auto timeout =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(opt.timeout));
    const std::size_t threads = std::min(opt.threads, conns.size());
    std::vector<std::unique_ptr<load_loop>> loops;
    for (std::size_t t = 0; t < threads; ++t) {
        loops.push_back(std::make_unique<load_loop>(pool, opt.message_size, opt.pipeline, timeout));
    }
    for (std::size_t i = 0; i < conns.size(); ++i) {
        if (conns[i].status == connection::state::open) {
            loops[i % threads]->add(conns[i]);
        }
    }
    std::vector<std::exception_ptr> failures(threads);
    {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                try {
                    loops[t]->run(p);
                } catch (...) {
                    failures[t] = std::current_exception(); // rethrown by the main thread below
                }
            });
        }
    }
    for (auto& f : failures) {
        if (f) {
            std::rethrow_exception(f);
        }
    }
    for (auto& loop : loops) {
        out.stats.merge(loop->stats());
    }
    if (p.count_by_completion) {
        out.seconds = opt.duration;
    } else if (out.stats.measured > 0) {
        out.seconds = std::chrono::duration<double>(out.stats.last_measured - p.measure_from).count();
    }
}

// Splits --messages over the connections so that the measured total is exactly N.
void assign_quotas(std::vector<connection>& conns, std::uint64_t messages) {
    const std::uint64_t each = messages / conns.size();
    const std::uint64_t extra = messages % conns.size();
    for (std::size_t i = 0; i < conns.size(); ++i) {
        conns[i].measured_quota = each + (i < extra ? 1 : 0);
    }
}

void print_result(const options& opt, const result& r) {
    const double rate = r.seconds > 0 ? static_cast<double>(r.stats.measured) / r.seconds : 0.0;
    const double mb = rate * static_cast<double>(opt.message_size) / 1e6;
    const double p50 = static_cast<double>(r.stats.rtt.quantile(0.50)) / 1e3;
    const double p99 = static_cast<double>(r.stats.rtt.quantile(0.99)) / 1e3;
    const double max = static_cast<double>(r.stats.rtt.max()) / 1e3;
    if (opt.json) {
        std::printf(
            "{\"connections\": %zu, \"connected\": %zu, \"message_size\": %zu, \"pipeline\": %zu, "
            "\"threads\": %zu, \"messages\": %llu, \"all_messages\": %llu, \"seconds\": %.6f, "
            "\"msgs_per_s\": %.1f, \"mb_per_s\": %.3f, \"rtt_p50_us\": %.2f, \"rtt_p99_us\": %.2f, "
            "\"rtt_max_us\": %.2f, \"mismatches\": %llu, \"errors\": %llu, \"connect_seconds\": %.3f}\n",
            opt.connections, r.connected, opt.message_size, opt.pipeline, opt.threads,
            static_cast<unsigned long long>(r.stats.measured),
            static_cast<unsigned long long>(r.stats.all_messages), r.seconds, rate, mb, p50, p99, max,
            static_cast<unsigned long long>(r.stats.mismatches),
            static_cast<unsigned long long>(r.stats.errors), r.connect_seconds);
        return;
    }
    std::printf(
        "%s:%s  %zu connections (%zu connected in %.2f s)  %zu-byte messages  pipeline %zu  %zu thread(s)\n",
        opt.host.c_str(), opt.port.c_str(), opt.connections, r.connected, r.connect_seconds, opt.message_size,
        opt.pipeline, opt.threads);
    std::printf("messages   %llu in %.3f s: %.0f msg/s, %.2f MB/s echoed\n",
                static_cast<unsigned long long>(r.stats.measured), r.seconds, rate, mb);
    std::printf("round trip p50 %.1f us  p99 %.1f us  max %.1f us\n", p50, p99, max);
    std::printf("mismatches %llu  errors %llu\n", static_cast<unsigned long long>(r.stats.mismatches),
                static_cast<unsigned long long>(r.stats.errors));
}

// --idle: hold the connections until stdin reaches end of file or SIGTERM/SIGINT arrives. The signals are
// blocked and read from a signalfd, so one poll() waits for both.
void hold_until_told(int signal_fd) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {signal_fd, POLLIN, 0}};
    char buf[256];
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "poll");
        }
        if (fds[1].revents) {
            return;
        }
        if (fds[0].revents) {
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n <= 0) {
                return; // end of file (or stdin unusable): the caller is done with us
            }
        }
    }
}

int run(const options& opt) {
    raise_fd_limit(opt.connections + 64);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    unique_fd signal_fd;
    if (opt.idle) {
        ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
        signal_fd = unique_fd(::signalfd(-1, &stop_signals, SFD_CLOEXEC));
        if (!signal_fd) {
            throw std::system_error(errno, std::generic_category(), "signalfd");
        }
    }

    const payload_pool pool;
    std::vector<connection> conns(opt.connections); // never resized: the loops hold pointers into it
    for (std::size_t i = 0; i < conns.size(); ++i) {
        conns[i].index = i;
        conns[i].offset = payload_pool::offset_for(i);
    }
    result r;
    const auto ramp_start = bench_clock::now();
    r.stats = ramp_up(conns, opt, pool);
    r.connect_seconds = std::chrono::duration<double>(bench_clock::now() - ramp_start).count();
    for (const auto& c : conns) {
        r.connected += c.status == connection::state::open ? 1 : 0;
    }

    if (opt.idle) {
        std::printf("connected %zu\n", r.connected);
        std::fflush(stdout);
        hold_until_told(signal_fd.get());
        return r.stats.errors == 0 && r.stats.mismatches == 0 ? 0 : 1;
    }
    if (opt.messages) {
        assign_quotas(conns, *opt.messages);
    }
    if (r.connected > 0) {
        result load;
        run_load(conns, opt, pool, load);
        r.seconds = load.seconds;
        load.stats.all_messages += r.stats.all_messages;
        load.stats.errors += r.stats.errors;
        load.stats.mismatches += r.stats.mismatches;
        r.stats = load.stats;
    }
    print_result(opt, r);
    return r.stats.errors == 0 && r.stats.mismatches == 0 && r.stats.measured > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const auto opt = parse_options(argc, argv);
        if (!opt) {
            return 0;
        }
        return run(*opt);
    } catch (const usage_error& e) {
        std::fprintf(stderr, "loadgen: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "loadgen: %s\n", e.what());
        return 1;
    }
}
