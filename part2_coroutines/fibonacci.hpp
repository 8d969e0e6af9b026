// fibonacci.hpp: the same sequence from a stackless coroutine (generator) and from a stackful one (fiber).
// The chapter's test checks the two agree.
#pragma once

#include "fiber.hpp"
#include "generator.hpp"

#include <utility>
#include <vector>

// snippet-begin: generator
// Forever: the consumer decides when to stop, and the generator's destructor frees the suspended frame.
inline generator<unsigned long long> fibonacci() {
    unsigned long long a = 0;
    unsigned long long b = 1;
    for (;;) {
        co_yield a;
        a = std::exchange(b, a + b);
    }
}
// snippet-end: generator

inline std::vector<unsigned long long> fibonacci_with_generator(int count) {
    std::vector<unsigned long long> out;
    for (unsigned long long value : fibonacci()) {
        if (static_cast<int>(out.size()) == count) {
            break;
        }
        out.push_back(value);
    }
    return out;
}

// snippet-begin: fiber
// The shape of Boost.Context's Fibonacci example: the fiber writes into `a`, which the caller reads after
// each resume(). Nothing in the body's signature says it can suspend; suspend() is an ordinary function call.
inline std::vector<unsigned long long> fibonacci_with_fiber(int count) {
    unsigned long long a = 0;
    fiber source([&a](fiber& self) {
        a = 0;
        unsigned long long b = 1;
        for (;;) {
            self.suspend();
            a = std::exchange(b, a + b);
        }
    });
    std::vector<unsigned long long> out;
    for (int i = 0; i < count; ++i) {
        source.resume();
        out.push_back(a);
    }
    return out; // ~fiber unwinds the body, still suspended inside its endless loop
}
// snippet-end: fiber
