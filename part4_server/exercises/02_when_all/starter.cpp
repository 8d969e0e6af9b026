// Exercise 02: implement when_all (see README.md).
#include "when_all.hpp"

#include "event_loop.hpp"
#include "notifier.hpp"

coro::task<void> when_all(coro::task<void> a, coro::task<void> b) {
    // TODO(exercise): this runs a to the end before b even starts. If a waits for something that only b
    // does, it waits forever. Start both on the loop (event_loop::spawn) and wait until both are done.
    co_await a;
    co_await b;
}
