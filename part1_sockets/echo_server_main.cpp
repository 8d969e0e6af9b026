// echo_server: the iterative blocking echo server (one client at a time). Try:
//   build/part1_sockets/echo_server --port 7000      and in another terminal:  nc 127.0.0.1 7000
#include "echo_server.hpp"
#include "server_main.hpp"

int main(int argc, char** argv) {
    return server_main<echo_server>(argc, argv, "echo_server", false);
}
