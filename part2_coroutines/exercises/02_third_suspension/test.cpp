// Exercise 02: the hand-rolled g must write the same trace as the real coroutine g.
#include "g_coroutine.hpp"

#include <doctest/doctest.h>

namespace {

trace real_trace(int a) {
    trace log;
    resumable co = g(log, a);
    for (int i = 0; i < 10 && !co.done(); ++i) {
        co.resume();
    }
    return log;
}

TEST_CASE("the hand-rolled g writes the same trace as the real coroutine g") {
    for (int a : {10, 0, -3}) {
        CHECK(run_g_hand_rolled(a).log == real_trace(a));
    }
}

TEST_CASE("the hand-rolled g suspends three times, so it needs three resumes after the ramp") {
    CHECK(run_g_hand_rolled(10).resumes == 3);
}

} // namespace
