// io_state.hpp: what the loop knows about one socket. epoll_event::data.ptr points here, so an event finds
// its socket with no lookup. A socket has at most one waiting reader and one waiting writer: that is all a
// connection coroutine ever needs, and it keeps the state small (48 bytes).
#pragma once

#include "timer_heap.hpp"

#include <coroutine>
#include <cstdint>
#include <system_error>

namespace coro {

class event_loop;

// One operation that is waiting for its socket: the coroutine to resume, the syscall that finishes it, and
// (as its timer_node base) an optional deadline. The op lives in the waiting coroutine's frame.
struct io_op : timer_node {
    // Tries the syscall. true: finished (result or error stored in the op); false: it would block.
    using attempt_fn = bool (*)(io_op& self) noexcept;

    std::coroutine_handle<> waiter;
    attempt_fn attempt = nullptr;
    // The socket slot (reader or writer) the op is parked in; nullptr once it finished or was cancelled,
    // after which the socket may already be closed and freed: touch only the op.
    io_op** slot = nullptr;
    std::errc cancelled{}; // timed_out or operation_canceled when the loop gave up on the op
};

// snippet-begin: io_state
struct io_state {
    event_loop* loop = nullptr;
    int fd = -1;
    // "Might be ready": try the syscall first. Cleared when a syscall says the socket is drained (EAGAIN,
    // or a short read/write: see stream.hpp), set again by the next epoll edge.
    bool readable : 1 = true;
    bool writable : 1 = true;
    bool peer_closed : 1 = false; // EPOLLRDHUP/HUP/ERR seen: end of stream or an error is queued
    bool retired : 1 = false;     // closed; the memory stays until the loop's next epoll_wait
    // Operations that completed at once, in a row, without this socket ever waiting: see io_awaiter.
    std::uint8_t streak = 0;
    io_op* reader = nullptr;
    io_op* writer = nullptr;
    // The loop's list of every live state, so shutdown can cancel whatever is waiting.
    io_state* prev = nullptr;
    io_state* next = nullptr;
};
// snippet-end: io_state

} // namespace coro
