// Exercise 03: when_all must start both tasks before either finishes, and finish when both have.
#include "when_all.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace {

task<int> number_after(manual_event& e, int value) {
    co_await e;
    co_return value;
}

task<std::string> text_after(manual_event& e, std::string value) {
    co_await e;
    co_return value;
}

task<int> failing_after(manual_event& e) {
    co_await e;
    throw std::runtime_error("a failed");
}

// Drives when_all without sync_wait: the test itself fires the events, in the order it chooses.
task<void> collect(task<std::pair<int, std::string>> both, std::optional<std::pair<int, std::string>>& out) {
    out = co_await std::move(both);
}

TEST_CASE("when_all starts both tasks before either finishes") {
    manual_event ea;
    manual_event eb;
    std::optional<std::pair<int, std::string>> result;
    task<void> driver = collect(when_all(number_after(ea, 1), text_after(eb, "one")), result);
    driver.handle().resume();
    CHECK(ea.has_waiter());
    CHECK(eb.has_waiter());
}

TEST_CASE("when_all finishes when the second task finishes first and the first one later") {
    manual_event ea;
    manual_event eb;
    std::optional<std::pair<int, std::string>> result;
    task<void> driver = collect(when_all(number_after(ea, 7), text_after(eb, "seven")), result);
    driver.handle().resume();
    REQUIRE(eb.fire());
    CHECK_FALSE(driver.handle().done());
    ea.fire();
    REQUIRE(driver.handle().done());
    REQUIRE(result);
    CHECK(result->first == 7);
    CHECK(result->second == "seven");
}

task<void> catch_message(task<std::pair<int, std::string>> both, std::string& message) {
    try {
        co_await std::move(both);
        message = "no exception";
    } catch (const std::runtime_error& e) {
        message = e.what();
    }
}

TEST_CASE("when_all rethrows the exception of a failed task once both have finished") {
    manual_event ea;
    manual_event eb;
    std::string message;
    task<void> driver = catch_message(when_all(failing_after(ea), text_after(eb, "b")), message);
    driver.handle().resume();
    REQUIRE(eb.fire());
    CHECK_FALSE(driver.handle().done());
    ea.fire();
    REQUIRE(driver.handle().done());
    CHECK(message == "a failed");
}

} // namespace
