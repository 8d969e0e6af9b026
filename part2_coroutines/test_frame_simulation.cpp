// The hand-rolled frame must behave exactly like the coroutine it imitates.
#include "hand_rolled_frame.hpp"
#include "real_coroutine.hpp"

#include <doctest/doctest.h>

namespace {

TEST_CASE("the hand-rolled frame and the real coroutine write identical traces") {
    for (int a : {0, 10, -7}) {
        trace real;
        trace hand;
        resumable co = f(real, a);
        auto frame = f_hand_rolled(hand, a);
        CHECK(real == hand); // after the ramp: both stopped at the first suspension
        int resumes = 0;
        while (!co.done() && resumes < 10) {
            CHECK_FALSE(frame->done());
            co.resume();
            frame->resume();
            CHECK(real == hand);
            ++resumes;
        }
        CHECK(resumes == 2);
        CHECK(frame->done());
        CHECK(real.size() == 7);
    }
}

TEST_CASE("the ramp runs the body only up to the first suspension") {
    trace hand;
    auto frame = f_hand_rolled(hand, 3);
    CHECK(hand == trace{"start: a=3 b=1", "op1 suspends with a=3"});
    CHECK_FALSE(frame->done());
}

TEST_CASE("the promise's operator new sees the size of the compiler's frame") {
    trace log;
    resumable co = f(log, 1);
    CHECK(resumable::promise_type::last_frame_size >= 2 * sizeof(void*));
}

} // namespace
