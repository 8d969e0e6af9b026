#include "echo_server.hpp"

#include "accept_connection.hpp"
#include "address.hpp"
#include "log.hpp"
#include "socket_io.hpp"
#include "wait_readable.hpp"

#include <sys/socket.h>

#include <array>
#include <system_error>

namespace {

enum class client_end { eof, stop };

// snippet-begin: serve_client
// Echoes until the client closes its side (or we are stopped). Throws on a reset or a failed write.
client_end serve_client(int client, int stop_fd) {
    std::array<char, 16 * 1024> buffer;
    for (;;) {
        // Plain blocking read() would be enough to echo; polling with the stop fd lets SIGTERM end a
        // server that is waiting for a silent client.
        if (wait_readable(client, stop_fd) == wake_reason::stop) {
            return client_end::stop;
        }
        std::size_t n = read_some(client, buffer);
        if (n == 0) {
            return client_end::eof; // FIN: everything the client sent has been echoed
        }
        write_all(client, std::string_view(buffer.data(), n));
    }
}
// snippet-end: serve_client

} // namespace

echo_server::echo_server(const server_options& options)
    : listener_(listen_on(options.host, options.port, SOMAXCONN)) {
    make_listener_nonblocking(listener_.get());
}

std::string echo_server::local_address() const {
    return local_endpoint(listener_.get());
}
std::uint16_t echo_server::port() const {
    return local_port(listener_.get());
}

// snippet-begin: run
void echo_server::run(int stop_fd) {
    for (;;) {
        if (wait_readable(listener_.get(), stop_fd) == wake_reason::stop) {
            return;
        }
        file_descriptor client = accept_connection(listener_.get(), stop_fd);
        if (!client) {
            continue;
        }
        std::string peer = peer_endpoint(client.get());
        log_line("connected: " + peer);
        client_end end = client_end::eof;
        try {
            end = serve_client(client.get(), stop_fd);
        } catch (const std::system_error& e) {
            log_line("connection " + peer + ": " + e.what()); // a reset client: log it, serve the next
        }
        log_line("closed: " + peer);
        if (end == client_end::stop) {
            return;
        }
    } // `client` is closed here, before the next accept
}
// snippet-end: run
