// sync_wait.hpp: runs a task that never waits for I/O to completion on the calling thread.
// Tasks that wait for sockets or timers need an event loop: use event_loop::block_on instead.
#pragma once

#include "task.hpp"

#include <stdexcept>

namespace coro {

template <typename T>
T sync_wait(task<T> t) {
    auto handle = t.handle();
    // The continuation stays noop_coroutine(): when the body finishes, final_suspend transfers to it and
    // resume() returns here.
    handle.resume();
    if (!handle.done()) {
        throw std::logic_error("sync_wait: the task suspended; run it on an event_loop with block_on");
    }
    return handle.promise().take_result();
}

} // namespace coro
