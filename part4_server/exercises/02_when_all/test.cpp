// Exercise 02 test: two tasks that need each other only finish if they really run at the same time.
#include "when_all.hpp"

#include "event_loop.hpp"
#include "notifier.hpp"
#include "sleep.hpp"
#include "timeout.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("when_all runs both tasks at the same time and finishes when both are done") {
    coro::event_loop loop;
    coro::notifier a_ready(loop);
    coro::notifier b_ready(loop);
    std::vector<std::string> log;
    // a needs b's signal and b needs a's: run one after the other, the first one times out.
    auto a = [&]() -> coro::task<void> {
        a_ready.notify();
        co_await coro::with_timeout(b_ready.wait(), 2s);
        log.push_back("a done");
    };
    auto b = [&]() -> coro::task<void> {
        b_ready.notify();
        co_await coro::with_timeout(a_ready.wait(), 2s);
        log.push_back("b done");
    };
    auto both = [&]() -> coro::task<void> {
        co_await when_all(a(), b());
        log.push_back("both done");
    };
    loop.block_on(both());
    REQUIRE(log.size() == 3);
    CHECK(log.back() == "both done");
}

TEST_CASE("when_all rethrows an exception from either task after both finished") {
    coro::event_loop loop;
    bool other_finished = false;
    auto fails = []() -> coro::task<void> {
        throw std::runtime_error("boom");
        co_return;
    };
    auto other = [&]() -> coro::task<void> {
        co_await coro::sleep_for(10ms);
        other_finished = true;
    };
    auto both = [&]() -> coro::task<void> { co_await when_all(fails(), other()); };
    CHECK_THROWS_WITH(loop.block_on(both()), "boom");
    CHECK(other_finished);
}
