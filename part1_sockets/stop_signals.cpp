#include "stop_signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace {
// A handler can only reach globals. An int that is written once before the handlers exist is enough.
volatile sig_atomic_t stop_fd = -1;

// snippet-begin: handler
extern "C" void on_stop_signal(int) {
    int saved_errno = errno; // the interrupted code may be about to read errno
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(stop_fd, &one, sizeof one);
    errno = saved_errno;
}
// snippet-end: handler
} // namespace

void stop_on_signals(const stop_event& stop) {
    stop_fd = stop.fd();
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a blocking call interrupted by the signal returns EINTR. Our loops retry reads and
    // writes, and poll() wakes up, so the interruption is harmless and the stop_event is seen promptly.
    action.sa_flags = 0;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}
