// io_state.hpp: what the loop knows about one socket. epoll_event::data.ptr points here, so an event finds
// its socket with no lookup. A socket has at most one waiting reader and one waiting writer: that is all a
// connection coroutine ever needs, and it keeps the state small (48 bytes).
#pragma once

#include <coroutine>
#include <system_error>

namespace coro {

class event_loop;

// One operation that is waiting for its socket: the coroutine to resume and the syscall that finishes it.
struct io_op {
    // Tries the syscall. true: finished (result or error stored in the op); false: it would block.
    using attempt_fn = bool (*)(io_op& self) noexcept;

    std::coroutine_handle<> waiter;
    attempt_fn attempt = nullptr;
    std::errc cancelled{}; // timed_out or operation_canceled when the loop gave up on the op
};

// snippet-begin: io_state
struct io_state {
    event_loop* loop = nullptr;
    int fd = -1;
    // "Might be ready": try the syscall first. Cleared when a syscall says the socket is drained (EAGAIN,
    // or a short read/write: see stream.hpp), set again by the next epoll edge.
    bool readable = true;
    bool writable = true;
    bool peer_closed = false; // EPOLLRDHUP/HUP/ERR seen: end of stream or an error is queued
    bool retired = false;     // closed; the memory stays until the current batch of epoll events is handled
    io_op* reader = nullptr;
    io_op* writer = nullptr;
    // The loop's list of every live state, so shutdown can cancel whatever is waiting.
    io_state* prev = nullptr;
    io_state* next = nullptr;
};
// snippet-end: io_state

} // namespace coro
