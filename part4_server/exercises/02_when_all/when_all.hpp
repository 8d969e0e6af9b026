// when_all.hpp: run two tasks at the same time on the current loop; finish when both have finished.
#pragma once

#include "task.hpp"

// Completes when both a and b have completed. If either throws, rethrows the first exception (after both
// have finished: nothing may still run that refers to this call's state).
coro::task<void> when_all(coro::task<void> a, coro::task<void> b);
