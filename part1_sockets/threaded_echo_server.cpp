#include "threaded_echo_server.hpp"

#include "accept_connection.hpp"
#include "address.hpp"
#include "log.hpp"
#include "socket_io.hpp"
#include "system_error.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <system_error>

threaded_echo_server::threaded_echo_server(const server_options& options)
    : listener_(listen_on(options.host, options.port, SOMAXCONN)),
      finished_event_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)), max_connections_(options.max_connections) {
    if (!finished_event_) {
        throw_system_error("eventfd");
    }
    make_listener_nonblocking(listener_.get());
}

threaded_echo_server::~threaded_echo_server() {
    shutdown_all();
}

std::string threaded_echo_server::local_address() const {
    return local_endpoint(listener_.get());
}
std::uint16_t threaded_echo_server::port() const {
    return local_port(listener_.get());
}

// snippet-begin: run
void threaded_echo_server::run(int stop_fd) {
    for (;;) {
        // Three things can wake the acceptor: a new connection, a finished thread to join, a stop request.
        pollfd fds[3] = {
            {listener_.get(), POLLIN, 0}, {finished_event_.get(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_system_error("poll");
        }
        if (fds[2].revents != 0) {
            break;
        }
        if (fds[1].revents != 0) {
            reap_finished();
        }
        if (fds[0].revents != 0) {
            if (file_descriptor client = accept_connection(listener_.get(), stop_fd)) {
                start_connection(std::move(client));
            }
        }
    }
    shutdown_all();
}
// snippet-end: run

// snippet-begin: start_connection
void threaded_echo_server::start_connection(file_descriptor client) {
    std::string peer = peer_endpoint(client.get());
    std::lock_guard lock(mutex_);
    // A finished connection counts as gone: its client has seen our FIN (serve() closes the socket under
    // this same lock), even if its thread is not joined yet.
    if (connections_.size() - finished_.size() >= max_connections_) {
        // Over the cap: accept and close at once (the client sees a clean end of stream) rather than leave
        // it waiting in the backlog for a slot that may never come. We send no bytes: an echo client must
        // never receive something it did not send.
        log_line("refused " + peer + ": " + std::to_string(max_connections_) + " connections already open");
        return; // `client` closes here
    }
    std::uint64_t id = next_id_++;
    int fd = client.get();
    connection& c = connections_[id];
    c.socket = std::move(client);
    try {
        // The new thread needs mutex_ to finish, and we hold it, so it cannot erase its entry before
        // c.thread is assigned.
        c.thread = std::thread([this, id, fd, peer] { serve(id, fd, peer); });
    } catch (const std::system_error& e) {
        log_line("refused " + peer + ": cannot start a thread: " + e.what()); // EAGAIN: thread limit
        connections_.erase(id);
    }
}
// snippet-end: start_connection

// snippet-begin: serve
void threaded_echo_server::serve(std::uint64_t id, int client, const std::string& peer) {
    log_line("connected: " + peer);
    try {
        std::array<char, 16 * 1024> buffer;
        // After shutdown_all() calls shutdown(2) on this socket, read() returns 0 and the loop ends.
        while (std::size_t n = read_some(client, buffer)) {
            write_all(client, std::string_view(buffer.data(), n));
        }
    } catch (const std::exception& e) {
        log_line("connection " + peer + ": " + e.what());
    }
    log_line("closed: " + peer);
    {
        std::lock_guard lock(mutex_);
        connections_.at(id).socket.reset(); // close now: the client sees our FIN without waiting for a join
        finished_.push_back(id);
    }
    // A thread cannot join itself: it asks the acceptor to join it, through an eventfd it polls.
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(finished_event_.get(), &one, sizeof one);
}
// snippet-end: serve

std::size_t threaded_echo_server::connection_count() {
    std::lock_guard lock(mutex_);
    return connections_.size();
}

void threaded_echo_server::reap_finished() {
    std::uint64_t count = 0;
    [[maybe_unused]] auto drained = ::read(finished_event_.get(), &count, sizeof count);
    std::vector<std::thread> done;
    {
        std::lock_guard lock(mutex_);
        for (std::uint64_t id : finished_) {
            auto node = connections_.extract(id);
            done.push_back(std::move(node.mapped().thread));
        }
        finished_.clear();
    }
    // Join outside the lock: a finishing thread takes mutex_ as its last step.
    for (std::thread& t : done) {
        t.join();
    }
}

// snippet-begin: shutdown_all
void threaded_echo_server::shutdown_all() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, c] : connections_) {
            // shutdown(2), not close(2): it wakes a thread blocked in read() (which returns 0) or in send()
            // (EPIPE) on this socket, and the fd number stays ours until the thread is joined.
            if (c.socket) {
                ::shutdown(c.socket.get(), SHUT_RDWR);
            }
            threads.push_back(std::move(c.thread));
        }
    }
    for (std::thread& t : threads) {
        t.join();
    }
    std::lock_guard lock(mutex_);
    connections_.clear();
    finished_.clear();
}
// snippet-end: shutdown_all
