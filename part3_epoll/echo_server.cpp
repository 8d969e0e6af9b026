// echo_server.cpp: see echo_server.hpp. Read the connection from on_events() downwards.
#include "echo_server.hpp"

#include "net.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace {

void log_error(const char* what, int err) {
    std::fprintf(stderr, "epoll_echo_server: %s: %s\n", what, std::strerror(err));
}

bool would_block(int err) {
    return err == EAGAIN || err == EWOULDBLOCK;
}

} // namespace

// --- one connection ------------------------------------------------------------------------------------

connection::connection(echo_server& server, unique_fd fd, std::size_t slot)
    : server_(server), fd_(std::move(fd)), slot_(slot), last_active_(server.loop_.now()),
      idle_timer_([this] { on_idle_timer(); }) {}

// snippet-begin: on_events
void connection::on_events(std::uint32_t events) {
    if (events & EPOLLERR) { // a reset, or an error on an earlier send: SO_ERROR says which
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        log_error("connection error", err);
        return server_.close_connection(*this, nullptr);
    }
    if (events & EPOLLHUP) { // both directions are shut: nothing can be delivered any more
        return server_.close_connection(*this, "connection hung up");
    }
    if ((events & (EPOLLIN | EPOLLRDHUP)) && !on_readable(events)) {
        return; // closed: *this is gone
    }
    if (events & EPOLLOUT) {
        on_writable();
    }
}
// snippet-end: on_events

// snippet-begin: on_readable
bool connection::on_readable(std::uint32_t events) {
    auto& buffer = server_.read_buffer_;
    const bool edge = server_.config_.edge_triggered;
    // Level-triggered: one read per wakeup, the kernel reports the socket again if data is left.
    // Edge-triggered: we must drain, but a budget stops one fast sender from starving everybody else.
    for (int budget = edge ? echo_server::reads_per_wakeup : 1; budget > 0; --budget) {
        if (reading_paused_ || peer_closed_) {
            return true;
        }
        const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
        if (n > 0) {
            last_active_ = server_.loop_.now();
            if (!send_or_queue(buffer.data(), static_cast<std::size_t>(n))) {
                return false;
            }
            // A short read emptied the socket: no need for the extra read that would return EAGAIN, new data
            // raises a new edge. Unless the FIN came in this same wakeup (EPOLLRDHUP): no edge will report
            // it again, so read on until read() returns 0.
            if (static_cast<std::size_t>(n) < buffer.size() && !(events & EPOLLRDHUP)) {
                return true;
            }
        } else if (n == 0) { // FIN: the peer sends no more. Finish echoing what we have, then close.
            peer_closed_ = true;
            if (pending_.empty()) {
                server_.close_connection(*this, nullptr);
                return false;
            }
            return update_interest();
        } else if (would_block(errno)) {
            return true;
        } else if (errno != EINTR) {
            log_error("read", errno);
            server_.close_connection(*this, nullptr);
            return false;
        }
    }
    if (edge) { // out of budget with data probably left: no new edge will come for it, so come back soon
        server_.loop_.call_soon(*this, EPOLLIN);
    }
    return true;
}
// snippet-end: on_readable

// snippet-begin: send_or_queue
bool connection::send_or_queue(const char* data, std::size_t size) {
    std::size_t sent = 0;
    if (pending_.empty()) { // the common case: the whole echo goes out now, nothing is copied or allocated
        for (;;) {
            const ssize_t n = ::send(fd_.get(), data, size, MSG_NOSIGNAL);
            if (n >= 0) {
                sent = static_cast<std::size_t>(n);
                break;
            }
            if (would_block(errno)) {
                break;
            }
            if (errno != EINTR) {
                log_error("send", errno);
                server_.close_connection(*this, nullptr);
                return false;
            }
        }
        if (sent == size) {
            return true;
        }
    }
    // The peer is slower than its own sending: keep the rest, in order, behind what is already waiting.
    pending_.insert(pending_.end(), data + sent, data + size);
    if (pending_.size() - pending_sent_ > echo_server::high_water_mark) {
        reading_paused_ = true; // backpressure: stop taking input the peer is not reading back
    }
    return update_interest();
}
// snippet-end: send_or_queue

// snippet-begin: on_writable
bool connection::on_writable() {
    while (pending_sent_ < pending_.size()) {
        const ssize_t n =
            ::send(fd_.get(), pending_.data() + pending_sent_, pending_.size() - pending_sent_, MSG_NOSIGNAL);
        if (n > 0) {
            pending_sent_ += static_cast<std::size_t>(n);
            last_active_ = server_.loop_.now();
        } else if (n < 0 && would_block(errno)) {
            break;
        } else if (n < 0 && errno != EINTR) {
            log_error("send", errno);
            server_.close_connection(*this, nullptr);
            return false;
        }
    }
    const std::size_t left = pending_.size() - pending_sent_;
    if (left == 0) {
        // Keep the capacity: a client that was slow once is likely to be slow again, and freeing and
        // regrowing the buffer on every stall would be an allocation per stall.
        pending_.clear();
        pending_sent_ = 0;
        if (peer_closed_) { // half-close: everything received has been echoed
            server_.close_connection(*this, nullptr);
            return false;
        }
    }
    if (reading_paused_ && left <= echo_server::low_water_mark) {
        reading_paused_ = false;
    }
    return update_interest();
}
// snippet-end: on_writable

// snippet-begin: update_interest
bool connection::update_interest() {
    std::uint32_t want = 0;
    if (!reading_paused_ && !peer_closed_) {
        // EPOLLRDHUP only together with EPOLLIN: a paused level-triggered connection would otherwise be
        // woken for the FIN on every turn without reading it.
        want |= EPOLLIN | EPOLLRDHUP;
    }
    if (pending_sent_ < pending_.size()) {
        want |= EPOLLOUT; // only while output waits: a socket is writable nearly always
    }
    if (server_.config_.edge_triggered) {
        want |= EPOLLET;
    }
    if (want != interest_) { // one epoll_ctl when the state changes, none per message
        // Edge-triggered re-arm: EPOLL_CTL_MOD re-checks readiness, so data that arrived while reading was
        // paused is reported once reading resumes.
        server_.loop_.modify(fd_.get(), *this, want);
        interest_ = want;
    }
    return true;
}
// snippet-end: update_interest

// snippet-begin: idle
void connection::on_idle_timer() {
    // The timer is not pushed back on every message (a heap update per message); it fires at the old
    // deadline and reschedules itself from the last activity if there was any.
    const auto deadline = last_active_ + server_.config_.idle_timeout;
    if (deadline > server_.loop_.now()) {
        server_.loop_.schedule(idle_timer_, deadline);
        return;
    }
    server_.close_connection(*this, "idle timeout");
}
// snippet-end: idle

// --- the listener --------------------------------------------------------------------------------------

echo_server::echo_server(event_loop& loop, server_config config)
    : loop_(loop), config_(std::move(config)), listener_(listen_tcp(config_.host, config_.port)),
      port_(local_port(listener_.get())), read_buffer_(read_buffer_size),
      accept_retry_([this] { resume_accepting(); }) {
    connections_.reserve(std::min<std::size_t>(config_.max_connections, 1024));
    // The listener stays level-triggered even in --edge-triggered mode: we accept a bounded batch per
    // wakeup, and level-triggering reports the rest of the queue on the next turn.
    loop_.add(listener_.get(), *this, EPOLLIN);
}

echo_server::~echo_server() {
    if (!connections_.empty()) {
        std::fprintf(stderr, "epoll_echo_server: shutting down, closing %zu connection(s)\n",
                     connections_.size());
    }
    // connections_ is destroyed after this: each connection closes its socket and cancels its timer.
}

// snippet-begin: accept
void echo_server::on_events(std::uint32_t) {
    // accept4 until EAGAIN, at most 256 per wakeup so a connection storm cannot hold up the echoing.
    for (int batch = 0; batch < 256; ++batch) {
        if (connections_.size() >= config_.max_connections) {
            return pause_accepting("connection limit reached");
        }
        unique_fd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd) {
            const int err = errno;
            if (would_block(err)) {
                return;
            }
            if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
                // Out of descriptors (or memory). The client stays in the accept queue, so the listener
                // stays readable: going back to epoll_wait now would spin at 100% CPU. Stop watching the
                // listener until a connection closes or 100 ms have passed.
                log_error("accept4", err);
                pause_accepting("out of resources");
                loop_.schedule(accept_retry_, loop_.now() + std::chrono::milliseconds(100));
                return;
            }
            if (err == EINTR || err == ECONNABORTED || err == EPROTO || err == EPERM) {
                continue; // this one client is gone or refused; the next may be fine
            }
            throw std::system_error(err, std::generic_category(), "accept4");
        }
        const int one = 1; // echo small messages at once instead of letting Nagle hold them back
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto& c = *connections_.emplace_back(
            std::make_unique<connection>(*this, std::move(fd), connections_.size()));
        c.interest_ = EPOLLIN | EPOLLRDHUP | (config_.edge_triggered ? EPOLLET : 0U);
        loop_.add(c.fd_.get(), c, c.interest_);
        if (config_.idle_timeout.count() > 0) {
            loop_.schedule(c.idle_timer_, loop_.now() + config_.idle_timeout);
        }
    }
}
// snippet-end: accept

void echo_server::close_connection(connection& c, const char* why) {
    if (why != nullptr) {
        std::fprintf(stderr, "epoll_echo_server: closing a connection: %s\n", why);
    }
    loop_.remove(c.fd_.get(), c); // before close: see event_loop::remove
    // Swap with the last slot and pop: O(1), and the moved connection learns its new slot.
    const std::size_t slot = c.slot_;
    if (slot + 1 != connections_.size()) {
        connections_[slot].swap(connections_.back());
        connections_[slot]->slot_ = slot;
    }
    connections_.pop_back(); // destroys c: closes the socket, cancels its timer
    resume_accepting();      // a descriptor and a slot just became free
}

void echo_server::pause_accepting(const char* why) {
    if (!listening_) {
        return;
    }
    // Paused, the excess clients wait in the kernel's accept queue (their handshake is already done) and
    // are served as soon as a slot frees up; past the queue's length the kernel drops their SYNs and they
    // retry. We chose this over "accept and close at once": nobody is turned away by a short burst.
    std::fprintf(stderr, "epoll_echo_server: %s (%zu open): not accepting for now\n", why,
                 connections_.size());
    loop_.remove(listener_.get(), *this);
    listening_ = false;
}

void echo_server::resume_accepting() {
    if (listening_ || connections_.size() >= config_.max_connections) {
        return;
    }
    loop_.cancel(accept_retry_);
    loop_.add(listener_.get(), *this, EPOLLIN);
    listening_ = true;
}
