// threaded_echo_server: one thread per connection, at most --max-connections (default 4096) at once.
#include "server_main.hpp"
#include "threaded_echo_server.hpp"

int main(int argc, char** argv) {
    return server_main<threaded_echo_server>(argc, argv, "threaded_echo_server", true);
}
