// accept_connection.hpp: accept one connection without letting one bad connection stop the server.
#pragma once

#include "file_descriptor.hpp"

// Returns the accepted socket, or an empty file_descriptor when accept failed for a reason that concerns
// only this connection or is temporary (the peer reset before we accepted, out of fds). Those are logged,
// never thrown: the server goes on with the next client. A broken listener throws std::system_error.
file_descriptor accept_connection(int listener, int stop_fd);
