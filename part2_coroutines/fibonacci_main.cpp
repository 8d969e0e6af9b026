// fibonacci: the first Fibonacci numbers three ways: minimal generator, complete generator, our own fiber.
#include "fibonacci.hpp"
#include "minimal_generator.hpp"

#include <cstdio>
#include <utility>

namespace {

minimal_generator<unsigned long long> minimal_fibonacci() {
    unsigned long long a = 0;
    unsigned long long b = 1;
    for (;;) {
        co_yield a;
        a = std::exchange(b, a + b);
    }
}

void print(const char* label, const std::vector<unsigned long long>& values) {
    std::printf("%-22s", label);
    for (auto v : values) {
        std::printf(" %llu", v);
    }
    std::printf("\n");
}

} // namespace

int main() {
    std::vector<unsigned long long> minimal;
    auto g = minimal_fibonacci();
    for (int i = 0; i < 10 && g.next(); ++i) {
        minimal.push_back(g.value());
    }
    print("minimal_generator:", minimal);
    print("generator:", fibonacci_with_generator(10));
    print("fiber (own switch):", fibonacci_with_fiber(10));
}
