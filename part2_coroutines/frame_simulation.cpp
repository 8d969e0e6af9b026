// frame_simulation: one coroutine, twice. Once as the compiler writes it (real_coroutine.hpp), once lowered
// by hand into a frame struct (hand_rolled_frame.hpp). Prints both traces, the two frame sizes, and the two
// function pointers GCC and Clang keep at the start of every coroutine frame.
#include "hand_rolled_frame.hpp"
#include "real_coroutine.hpp"

#include <cstdio>
#include <cstring>

namespace {

trace run_real(int a) {
    trace log;
    resumable co = f(log, a); // the ramp has run up to the first suspension
    while (!co.done()) {
        co.resume();
    }
    return log;
}

trace run_hand_rolled(int a) {
    trace log;
    auto frame = f_hand_rolled(log, a);
    while (!frame->done()) {
        frame->resume();
    }
    return log;
}

// snippet-begin: peek
// IMPLEMENTATION DETAIL, not C++: GCC and Clang both start a coroutine frame with two function pointers,
// "resume" and "destroy"; coroutine_handle::resume() is an indirect call through the first. Nothing in the
// standard promises this layout. We only read the two words to show they are there.
void show_frame_header() {
    trace log;
    resumable co = f(log, 1);
    void* words[2];
    std::memcpy(words, co.frame_address(), sizeof words);
    std::printf("frame at %p starts with:\n", co.frame_address());
    std::printf("  resume  pointer %p\n", words[0]);
    std::printf("  destroy pointer %p\n", words[1]);
    std::printf("  (the ramp f itself is at %p; `nm -C` on this program names the other two\n"
                "   'f(...) [clone .actor]' and '[clone .destroy]' with GCC, '[clone .resume]' and\n"
                "   '[clone .destroy]' with Clang)\n",
                reinterpret_cast<void*>(&f));
    while (!co.done()) {
        co.resume();
    }
}
// snippet-end: peek

} // namespace

int main() {
    trace real = run_real(10);
    trace hand = run_hand_rolled(10);
    std::printf("%-40s | %s\n", "real C++20 coroutine", "hand-rolled frame struct");
    for (std::size_t i = 0; i < real.size() || i < hand.size(); ++i) {
        std::printf("%-40s | %s\n", i < real.size() ? real[i].c_str() : "",
                    i < hand.size() ? hand[i].c_str() : "");
    }
    std::printf("traces identical: %s\n\n", real == hand ? "yes" : "NO");

    std::printf("frame the compiler allocated for f: %zu bytes (promise operator new)\n",
                resumable::promise_type::last_frame_size);
    std::printf("sizeof(f_frame), our hand-rolled frame: %zu bytes\n\n", sizeof(f_frame));
    show_frame_header();
    return real == hand ? 0 : 1;
}
