// Tests for minimal_generator.hpp and generator.hpp.
#include "counted.hpp"
#include "fibonacci.hpp"
#include "generator.hpp"
#include "minimal_generator.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <ranges>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace {

static_assert(std::ranges::input_range<generator<int>>);
static_assert(std::is_move_constructible_v<generator<int>>);
static_assert(!std::is_copy_constructible_v<generator<int>>);
static_assert(!std::is_copy_assignable_v<generator<int>>);

const std::vector<unsigned long long> first_ten{0, 1, 1, 2, 3, 5, 8, 13, 21, 34};

minimal_generator<int> count_to(int n) {
    for (int i = 1; i <= n; ++i) {
        co_yield i;
    }
}

TEST_CASE("the minimal generator hands out each co_yield value, then reports the end") {
    auto g = count_to(3);
    std::vector<int> seen;
    while (g.next()) {
        seen.push_back(g.value());
    }
    CHECK(seen == std::vector<int>{1, 2, 3});
}

TEST_CASE("range-for over the Fibonacci generator gives the sequence") {
    CHECK(fibonacci_with_generator(10) == first_ten);
}

// A std::ranges algorithm, not a views pipeline: clang 14 cannot compile libstdc++ 12's views (any range).
TEST_CASE("the generator works with std::ranges algorithms") {
    auto fib = fibonacci();
    auto it = std::ranges::find_if(fib, [](unsigned long long x) { return x > 100; });
    CHECK(*it == 144);
}

TEST_CASE("a body that yields nothing is an empty range") {
    auto empty = []() -> generator<int> { co_return; };
    auto g = empty();
    CHECK(g.begin() == g.end());
}

TEST_CASE("abandoning a generator early destroys the locals alive in its frame") {
    auto body = []() -> generator<int> {
        counted first;
        for (int i = 0;; ++i) {
            counted per_iteration;
            co_yield i;
        }
    };
    {
        auto g = body();
        int taken = 0;
        for (int v : g) {
            CHECK(v == taken);
            if (++taken == 3) {
                break;
            }
        }
        CHECK(counted::alive == 2); // suspended at co_yield: `first` and this iteration's `per_iteration`
    }
    CHECK(counted::alive == 0);
}

TEST_CASE("an exception thrown in the body reaches the consumer at the ++ that resumed it") {
    auto body = []() -> generator<int> {
        co_yield 1;
        throw std::runtime_error("body failed");
    };
    auto g = body();
    auto it = g.begin();
    CHECK(*it == 1);
    CHECK_THROWS_WITH_AS(++it, "body failed", std::runtime_error);
    CHECK(it == g.end());
}

TEST_CASE("moving a generator moves the frame; the moved-from one owns nothing") {
    auto g = fibonacci();
    auto h = std::move(g);
    auto it = h.begin();
    CHECK(*it == 0);
    ++it;
    CHECK(*it == 1);
}

} // namespace
