// Reference solution: spawn both on the loop and wait on a notifier until a counter reaches zero.
#include "when_all.hpp"

#include "event_loop.hpp"
#include "notifier.hpp"

#include <exception>
#include <memory>

namespace {

// Shared by when_all and the two children. A shared_ptr, not a local of when_all's frame: at shutdown the
// wait below is cancelled and when_all's frame may be destroyed before the children finish.
struct join_state {
    explicit join_state(coro::event_loop& loop) : done(loop) {}
    int remaining = 2;
    std::exception_ptr error;
    coro::notifier done;
};

coro::task<void> run_one(coro::task<void> t, std::shared_ptr<join_state> state) {
    try {
        co_await t;
    } catch (...) {
        if (!state->error) {
            state->error = std::current_exception(); // rethrown by when_all below
        }
    }
    if (--state->remaining == 0) {
        state->done.notify();
    }
}

} // namespace

coro::task<void> when_all(coro::task<void> a, coro::task<void> b) {
    coro::event_loop& loop = coro::event_loop::current();
    auto state = std::make_shared<join_state>(loop);
    loop.spawn(run_one(std::move(a), state));
    loop.spawn(run_one(std::move(b), state));
    while (state->remaining > 0) {
        co_await state->done.wait();
    }
    if (state->error) {
        std::rethrow_exception(state->error);
    }
}
