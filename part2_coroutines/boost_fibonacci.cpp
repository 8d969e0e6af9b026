// boost_fibonacci: the same Fibonacci fiber on Boost.Context, the library the series' article uses. Built
// only when Boost.Context is installed (Debian: libboost-context-dev); compare with fibonacci_with_fiber().
#include <boost/context/fiber.hpp>

#include <cstdio>
#include <utility>

namespace ctx = boost::context;

int main() {
    unsigned long long a = 0;
    // The body receives the fiber to switch back to (the "sink") and must return it when it ends.
    ctx::fiber source{[&a](ctx::fiber&& sink) {
        a = 0;
        unsigned long long b = 1;
        for (;;) {
            sink = std::move(sink).resume();
            a = std::exchange(b, a + b);
        }
        return std::move(sink);
    }};
    std::printf("%-22s", "fiber (Boost.Context):");
    for (int i = 0; i < 10; ++i) {
        source = std::move(source).resume();
        std::printf(" %llu", a);
    }
    std::printf("\n");
}
