// The stack-depth tests for task.hpp: a million co_awaits that complete at once, and a million-deep chain.
// Both only stay within the stack if every symmetric transfer is compiled as a tail call. meson.build asks
// GCC for that; if a build (or a broken task.hpp) still nests the calls, the probe below notices and the
// tests fail with an explanation instead of dying of a stack overflow a million frames deep.
#include "sync_wait.hpp"
#include "task.hpp"

#include <doctest/doctest.h>

#include <cstdint>

namespace {

// snippet-begin: deep
task<int> ready(int i) {
    co_return i;
}

// Each co_await starts ready() and is resumed by it before the loop goes on: two transfers per iteration.
task<std::int64_t> sum_of_ready(int count) {
    std::int64_t sum = 0;
    for (int i = 0; i < count; ++i) {
        sum += co_await ready(i);
    }
    co_return sum;
}

// A chain: chain(n) awaits chain(n - 1) ... awaits chain(0); a million frames alive at the deepest point.
task<int> chain(int n) {
    if (n == 0) {
        co_return 0;
    }
    co_return 1 + co_await chain(n - 1);
}
// snippet-end: deep

// The probe: how far down the machine stack is the leaf of a 2,000-deep chain? With tail calls every level
// reuses the same stack frame; without, each level costs at least one frame of a few dozen bytes.
std::uintptr_t leaf_frame = 0;

task<void> probe_chain(int n) {
    if (n == 0) {
        leaf_frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        co_return;
    }
    co_await probe_chain(n - 1);
}

[[gnu::noinline]] std::uintptr_t stack_used_by_probe() {
    auto top = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    sync_wait(probe_chain(2000));
    return top > leaf_frame ? top - leaf_frame : 0;
}

// Fails the test (and stops it) if the stack grows with the depth of the chain.
void require_transfers_to_be_tail_calls() {
    std::uintptr_t used = stack_used_by_probe();
    INFO("a 2,000-deep task chain used "
         << used
         << " bytes of stack: symmetric transfer is not compiled as a "
            "tail call in this build (GCC without -foptimize-sibling-calls, or with ASan's use-after-scope "
            "check), so a million-deep chain would overflow the stack. See docs/part2_coroutines.md, 'The "
            "stack-overflow trap'.");
    REQUIRE(used <= 16 * 1024);
}

TEST_CASE("a million co_awaits that complete synchronously run in constant stack") {
    require_transfers_to_be_tail_calls();
    CHECK(sync_wait(sum_of_ready(1'000'000)) == std::int64_t{999'999} * 1'000'000 / 2);
}

TEST_CASE("a million-deep chain of awaiting tasks runs in constant stack") {
    require_transfers_to_be_tail_calls();
    CHECK(sync_wait(chain(1'000'000)) == 1'000'000);
}

} // namespace
