// stop_signals.hpp: SIGINT (Ctrl-C) and SIGTERM (kill, systemd, docker stop) end a server cleanly.
// The handler does the one thing a handler may safely do here: write to the stop_event's fd. The server's
// loop wakes up from poll(), leaves, runs its destructors and main returns 0.
#pragma once

#include "stop_event.hpp"

// Installs the handlers for the whole process. `stop` must outlive every signal that may arrive.
void stop_on_signals(const stop_event& stop);
