// load_loop.cpp: the client side of the echo protocol, non-blocking, one epoll set.
#include "load_loop.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

void load_stats::merge(const load_stats& other) {
    measured += other.measured;
    all_messages += other.all_messages;
    mismatches += other.mismatches;
    errors += other.errors;
    rtt.merge(other.rtt);
    last_measured = std::max(last_measured, other.last_measured);
}

void log_connection_error(std::size_t index, std::string_view what, int error) {
    static std::atomic<int> logged{0};
    constexpr int shown = 5;
    const int n = logged.fetch_add(1);
    if (n < shown) {
        std::fprintf(stderr, "loadgen: connection %zu: %.*s%s%s\n", index, static_cast<int>(what.size()),
                     what.data(), error ? ": " : "", error ? std::strerror(error) : "");
    } else if (n == shown) {
        std::fprintf(stderr, "loadgen: (further connection errors are counted, not shown)\n");
    }
}

load_loop::load_loop(const payload_pool& pool, std::size_t message_size, std::size_t pipeline,
                     std::chrono::nanoseconds stall_timeout)
    : pool_(pool), message_size_(message_size), pipeline_(pipeline), stall_timeout_(stall_timeout),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)), scratch_(64 * 1024) {
    if (!epoll_) {
        throw std::system_error(errno, std::generic_category(), "epoll_create1");
    }
}

void load_loop::add(connection& c) {
    c.send_times.resize(pipeline_);
    c.watching_out = c.status == connection::state::connecting; // connect() completes as "writable"
    epoll_event ev{};
    ev.events = c.watching_out ? EPOLLOUT : EPOLLIN;
    ev.data.ptr = &c;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.sock.get(), &ev) != 0) {
        throw std::system_error(errno, std::generic_category(), "epoll_ctl");
    }
    connections_.push_back(&c);
}

void load_loop::run(const phase& p) {
    phase_ = p;
    const auto now = bench_clock::now();
    for (connection* c : connections_) {
        if (c->status == connection::state::open) {
            fill(*c, now);
        }
        update_busy(*c, now);
    }
    auto last_progress = now;
    std::vector<epoll_event> events(256);
    while (busy_ > 0) {
        const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), 100);
        if (n < 0 && errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "epoll_wait");
        }
        const auto t = bench_clock::now();
        for (int i = 0; i < n; ++i) {
            handle(*static_cast<connection*>(events[i].data.ptr), events[i].events, t);
        }
        if (n > 0) {
            last_progress = t;
        } else if (t - last_progress > stall_timeout_) {
            // A server that stopped answering must not hang the benchmark: fail whoever is still waiting.
            for (connection* c : connections_) {
                if (c->busy) {
                    fail(*c, "no answer before --timeout", 0);
                }
            }
        }
    }
}

void load_loop::handle(connection& c, std::uint32_t events, bench_clock::time_point now) {
    if (c.status == connection::state::connecting) {
        finish_connect(c, now);
    } else if (c.status == connection::state::open) {
        if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
            read_some(c, now);
        }
        if (c.status == connection::state::open && (events & EPOLLOUT)) {
            flush(c);
        }
        if (c.status == connection::state::open) {
            fill(c, now);
        }
    }
    update_busy(c, now);
}

void load_loop::finish_connect(connection& c, bench_clock::time_point now) {
    int error = 0;
    socklen_t len = sizeof error;
    if (::getsockopt(c.sock.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) {
        error = errno;
    }
    if (error != 0) {
        fail(c, "connect", error);
        return;
    }
    c.status = connection::state::open;
    watch_out(c, false);
    fill(c, now);
}

void load_loop::read_some(connection& c, bench_clock::time_point now) {
    const ssize_t n = ::recv(c.sock.get(), scratch_.data(), scratch_.size(), 0);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            fail(c, "recv", errno);
        }
        return;
    }
    if (n == 0) {
        if (c.busy) {
            fail(c, "server closed the connection with messages outstanding", 0);
        } else {
            c.status = connection::state::finished;
            c.sock.reset();
        }
        return;
    }
    if (c.received + static_cast<std::uint64_t>(n) > c.sent) {
        fail(c, "server sent more bytes than it was sent", 0);
        return;
    }
    check(c, scratch_.data(), static_cast<std::size_t>(n), now);
}

// Walks the received bytes message by message, comparing them with the stream at the same position.
void load_loop::check(connection& c, const unsigned char* data, std::size_t n, bench_clock::time_point now) {
    while (n > 0) {
        const std::uint64_t message_end = (c.completed + 1) * message_size_;
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(n, message_end - c.received));
        const auto expected = pool_.at(c.offset, c.received, want);
        if (std::memcmp(data, expected.data(), expected.size()) != 0) {
            c.current_bad = true;
        }
        data += expected.size();
        n -= expected.size();
        c.received += expected.size();
        if (c.received != message_end) {
            continue;
        }
        const std::uint64_t j = c.completed++;
        ++stats_.all_messages;
        if (c.current_bad) {
            ++stats_.mismatches;
            c.current_bad = false;
        }
        const bool measured = phase_.count_by_completion
                                  ? now >= phase_.measure_from && now < phase_.stop_starting_at
                                  : j >= c.first_measured;
        if (measured) {
            ++stats_.measured;
            const auto rtt =
                std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.send_times[j % pipeline_]);
            stats_.rtt.add(static_cast<std::uint64_t>(rtt.count()));
            stats_.last_measured = now;
        }
    }
}

bool load_loop::may_start(const connection& c, bench_clock::time_point now) const {
    if (c.status != connection::state::open || now >= phase_.stop_starting_at || c.started >= c.start_limit ||
        c.started - c.completed >= pipeline_) {
        return false;
    }
    if (now < phase_.measure_from) {
        return true;
    }
    const std::uint64_t first = c.first_measured == unlimited ? c.started : c.first_measured;
    return c.started - first < c.measured_quota;
}

void load_loop::fill(connection& c, bench_clock::time_point now) {
    while (may_start(c, now)) {
        if (now >= phase_.measure_from && c.first_measured == unlimited) {
            c.first_measured = c.started;
        }
        c.send_times[c.started % pipeline_] = now;
        ++c.started;
    }
    flush(c);
}

// Writes what the started messages still owe. The stream wraps around the end of the pool, so one call
// may take two sends; a full socket buffer leaves the rest for EPOLLOUT.
void load_loop::flush(connection& c) {
    const std::uint64_t target = c.started * message_size_;
    while (c.sent < target) {
        const auto bytes = pool_.at(c.offset, c.sent, static_cast<std::size_t>(target - c.sent));
        const ssize_t n = ::send(c.sock.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                watch_out(c, true);
                return;
            }
            fail(c, "send", errno);
            return;
        }
        c.sent += static_cast<std::uint64_t>(n);
    }
    watch_out(c, false);
}

void load_loop::watch_out(connection& c, bool on) {
    if (c.watching_out == on) {
        return;
    }
    epoll_event ev{};
    ev.events = on ? EPOLLIN | EPOLLOUT : EPOLLIN;
    ev.data.ptr = &c;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.sock.get(), &ev) != 0) {
        throw std::system_error(errno, std::generic_category(), "epoll_ctl");
    }
    c.watching_out = on;
}

void load_loop::update_busy(connection& c, bench_clock::time_point now) {
    const bool busy = c.status == connection::state::connecting ||
                      (c.status == connection::state::open && (c.started > c.completed || may_start(c, now)));
    if (busy != c.busy) {
        c.busy = busy;
        busy ? ++busy_ : --busy_;
    }
}

void load_loop::fail(connection& c, std::string_view what, int error) {
    log_connection_error(c.index, what, error);
    ++stats_.errors;
    c.status = connection::state::failed;
    c.sock.reset();
    if (c.busy) {
        c.busy = false;
        --busy_;
    }
}
