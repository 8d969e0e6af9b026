// Exercise 01: range(first, last, step).
#include "range.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

namespace {

std::vector<int> collect(generator<int> g) {
    std::vector<int> out;
    for (int v : g) {
        if (out.size() == 1000) { // a wrong loop condition must not hang the test
            break;
        }
        out.push_back(v);
    }
    return out;
}

TEST_CASE("range counts up by one by default") {
    CHECK(collect(range(0, 5)) == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("range stops before last with a larger step") {
    CHECK(collect(range(0, 10, 3)) == std::vector<int>{0, 3, 6, 9});
}

TEST_CASE("range counts down with a negative step") {
    CHECK(collect(range(5, 0, -2)) == std::vector<int>{5, 3, 1});
}

TEST_CASE("an empty range yields nothing") {
    CHECK(collect(range(3, 3)).empty());
}

TEST_CASE("a zero step throws when the iteration begins, not at the call") {
    auto g = range(0, 5, 0);
    CHECK_THROWS_AS(g.begin(), std::invalid_argument);
}

} // namespace
