// Tests for task.hpp and sync_wait.hpp: laziness, ordering, exceptions, move-only results, frame cleanup.
#include "counted.hpp"
#include "sync_wait.hpp"
#include "task.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

task<int> answer() {
    co_return 42;
}

TEST_CASE("a task does not start until it is awaited") {
    bool started = false;
    auto body = [](bool& flag) -> task<int> {
        flag = true;
        co_return 1;
    };
    task<int> t = body(started);
    CHECK_FALSE(started);
    CHECK(sync_wait(std::move(t)) == 1);
    CHECK(started);
}

TEST_CASE("sync_wait returns the value the task co_returns") {
    CHECK(sync_wait(answer()) == 42);
}

task<void> record(std::vector<std::string>& log, std::string name, int depth) {
    log.push_back(name + " begins");
    if (depth > 0) {
        co_await record(log, name + ".child", depth - 1);
    }
    log.push_back(name + " ends");
}

TEST_CASE("awaited tasks run nested, and each resumes its awaiter when it ends") {
    std::vector<std::string> log;
    sync_wait(record(log, "a", 2));
    CHECK(log == std::vector<std::string>{"a begins", "a.child begins", "a.child.child begins",
                                          "a.child.child ends", "a.child ends", "a ends"});
}

task<int> level(int n) {
    if (n == 0) {
        throw std::runtime_error("from the deepest task");
    }
    co_return co_await level(n - 1) + 1;
}

TEST_CASE("an exception thrown four tasks down reaches the top awaiter") {
    CHECK_THROWS_WITH_AS(sync_wait(level(4)), "from the deepest task", std::runtime_error);
}

TEST_CASE("an awaiter can catch the exception of the task it awaited and carry on") {
    auto catcher = []() -> task<std::string> {
        try {
            co_await level(3);
        } catch (const std::runtime_error& e) {
            co_return std::string("caught: ") + e.what();
        }
        co_return "not reached";
    };
    CHECK(sync_wait(catcher()) == "caught: from the deepest task");
}

task<std::unique_ptr<int>> make_box() {
    co_return std::make_unique<int>(7);
}

TEST_CASE("a task can return a move-only value") {
    auto outer = []() -> task<int> {
        std::unique_ptr<int> p = co_await make_box();
        co_return *p * 6;
    };
    CHECK(sync_wait(outer()) == 42);
    std::unique_ptr<int> direct = sync_wait(make_box());
    REQUIRE(direct);
    CHECK(*direct == 7);
}

TEST_CASE("a task that is never awaited destroys its parameters with its frame") {
    auto holds = [](counted) -> task<void> { co_return; };
    {
        task<void> t = holds(counted{});
        CHECK(counted::alive == 1); // the parameter copy lives in the suspended frame
    }
    CHECK(counted::alive == 0);
}

TEST_CASE("a finished task has destroyed its locals by the time sync_wait returns") {
    auto body = []() -> task<int> {
        counted local;
        co_return counted::alive;
    };
    CHECK(sync_wait(body()) == 1);
    CHECK(counted::alive == 0);
}

TEST_CASE("moving a task transfers ownership of the frame") {
    task<int> a = answer();
    task<int> b = std::move(a);
    CHECK_FALSE(a.handle());
    CHECK(sync_wait(std::move(b)) == 42);
}

} // namespace
