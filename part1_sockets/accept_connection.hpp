// accept_connection.hpp: accept one connection without letting one bad connection stop the server.
#pragma once

#include "file_descriptor.hpp"

// Returns the accepted socket, or an empty file_descriptor when accept failed for a reason that concerns
// only this connection or is temporary (the peer reset before we accepted, out of fds). Those are logged,
// never thrown: the server goes on with the next client. A broken listener throws std::system_error.
file_descriptor accept_connection(int listener, int stop_fd);

// Call once on the listener. poll() said "a connection is waiting", but the client may reset before we
// accept it, and the kernel then drops it from the queue: a blocking accept would wait for the next client
// and ignore the stop request meanwhile. A non-blocking listener says EAGAIN instead. (The accepted sockets
// stay blocking: accept4 does not copy the listener's O_NONBLOCK.)
void make_listener_nonblocking(int listener);
