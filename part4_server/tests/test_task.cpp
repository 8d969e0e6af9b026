// test_task.cpp: task<T> semantics without any I/O: order, exceptions, move-only results, deep chains.
#include "sync_wait.hpp"
#include "task.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

coro::task<int> value(std::vector<std::string>& log, int v) {
    log.push_back("value " + std::to_string(v));
    co_return v;
}

coro::task<int> sum(std::vector<std::string>& log) {
    log.push_back("sum starts");
    int a = co_await value(log, 1);
    int b = co_await value(log, 2);
    log.push_back("sum ends");
    co_return a + b;
}

} // namespace

TEST_CASE("a task runs only when awaited, and in program order") {
    std::vector<std::string> log;
    auto t = sum(log);
    CHECK(log.empty()); // lazy: creating the task ran nothing
    CHECK(coro::sync_wait(std::move(t)) == 3);
    CHECK(log == std::vector<std::string>{"sum starts", "value 1", "value 2", "sum ends"});
}

namespace {

coro::task<int> thrower(int depth) {
    if (depth == 0) {
        throw std::runtime_error("from the bottom");
    }
    co_return co_await thrower(depth - 1) + 1;
}

} // namespace

TEST_CASE("an exception thrown four levels down reaches the outermost awaiter") {
    CHECK_THROWS_WITH_AS(coro::sync_wait(thrower(4)), "from the bottom", std::runtime_error);
}

TEST_CASE("a move-only result is moved out of the task") {
    auto make = []() -> coro::task<std::unique_ptr<int>> { co_return std::make_unique<int>(42); };
    std::unique_ptr<int> p = coro::sync_wait(make());
    REQUIRE(p != nullptr);
    CHECK(*p == 42);
}

namespace {

coro::task<int> ready_value() {
    co_return 1;
}

coro::task<long> many_synchronous_awaits(int n) {
    long total = 0;
    for (int i = 0; i < n; ++i) {
        total += co_await ready_value();
    }
    co_return total;
}

coro::task<long> chain(int depth) {
    if (depth == 0) {
        co_return 0;
    }
    co_return co_await chain(depth - 1) + 1;
}

} // namespace

TEST_CASE("a million co_awaits that complete synchronously do not grow the stack") {
    CHECK(coro::sync_wait(many_synchronous_awaits(1'000'000)) == 1'000'000);
    CHECK(coro::live_coroutine_frames() == 0);
}

TEST_CASE("a chain of a million nested tasks finishes without overflowing the stack") {
    CHECK(coro::sync_wait(chain(1'000'000)) == 1'000'000);
    CHECK(coro::live_coroutine_frames() == 0);
}

TEST_CASE("sync_wait refuses a task that would wait for I/O") {
    struct never {
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        void await_resume() const noexcept {}
    };
    auto waits = []() -> coro::task<void> { co_await never{}; };
    CHECK_THROWS_AS(coro::sync_wait(waits()), std::logic_error);
    CHECK(coro::live_coroutine_frames() == 0); // the task object destroyed the suspended frame
}
