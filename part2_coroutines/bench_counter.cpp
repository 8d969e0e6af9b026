// bench_counter.cpp: the generator bench_switch drives, in its own translation unit so the compiler cannot
// inline the coroutine into the benchmark loop and optimise the suspension away.
#include "bench_counter.hpp"

generator<std::uint64_t> counter() {
    for (std::uint64_t i = 0;; ++i) {
        co_yield i;
    }
}

generator<std::uint64_t> idle_generator() {
    std::uint64_t local = 42; // something in the frame, as a real coroutine would have
    co_yield local;
}
