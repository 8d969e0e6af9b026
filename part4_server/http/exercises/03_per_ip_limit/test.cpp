// Exercise 03: the test.
#include "per_ip_limit.hpp"

#include <doctest/doctest.h>

namespace {
constexpr std::uint32_t alice = 0x7f000001; // 127.0.0.1
constexpr std::uint32_t bob = 0x7f000002;
} // namespace

TEST_CASE("an address gets at most its limit of connections") {
    per_ip_limit limit(2);
    CHECK(limit.try_acquire(alice));
    CHECK(limit.try_acquire(alice));
    CHECK_FALSE(limit.try_acquire(alice));
    CHECK_FALSE(limit.try_acquire(alice));
    CHECK(limit.open_from(alice) == 2); // refused connections are not counted
}

TEST_CASE("addresses are counted separately") {
    per_ip_limit limit(1);
    CHECK(limit.try_acquire(alice));
    CHECK(limit.try_acquire(bob));
    CHECK_FALSE(limit.try_acquire(bob));
    CHECK(limit.open_from(alice) == 1);
    CHECK(limit.open_from(bob) == 1);
}

TEST_CASE("a connection that ends frees its place") {
    per_ip_limit limit(1);
    CHECK(limit.try_acquire(alice));
    CHECK_FALSE(limit.try_acquire(alice));
    limit.release(alice);
    CHECK(limit.try_acquire(alice));
}

TEST_CASE("an address without connections keeps no entry") {
    per_ip_limit limit(3);
    for (std::uint32_t a = 1; a <= 1000; ++a) {
        CHECK(limit.try_acquire(a));
    }
    CHECK(limit.tracked_addresses() == 1000);
    for (std::uint32_t a = 1; a <= 1000; ++a) {
        limit.release(a);
    }
    CHECK(limit.tracked_addresses() == 0);
    per_ip_limit none(0);
    CHECK_FALSE(none.try_acquire(alice));
    CHECK(none.tracked_addresses() == 0);
}
