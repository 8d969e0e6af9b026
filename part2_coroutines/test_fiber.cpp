// Tests for the stackful fiber: same Fibonacci numbers as the generator, suspension from nested calls,
// exceptions, and unwinding of a fiber destroyed while suspended.
#include "counted.hpp"
#include "fiber.hpp"
#include "fibonacci.hpp"
#include "tree_walk.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

TEST_CASE("the fiber produces the same Fibonacci numbers as the generator") {
    CHECK(fibonacci_with_fiber(20) == fibonacci_with_generator(20));
}

TEST_CASE("resume runs the body up to each suspend, then returns false once it has ended") {
    std::vector<std::string> log;
    fiber f([&log](fiber& self) {
        log.push_back("first");
        self.suspend();
        log.push_back("second");
    });
    CHECK(log.empty());
    CHECK(f.resume());
    CHECK(log == std::vector<std::string>{"first"});
    CHECK_FALSE(f.resume());
    CHECK(log == std::vector<std::string>{"first", "second"});
    CHECK(f.done());
    CHECK_FALSE(f.resume());
}

std::unique_ptr<tree_node> leaf(int v) {
    auto n = std::make_unique<tree_node>();
    n->value = v;
    return n;
}

std::unique_ptr<tree_node> node(std::unique_ptr<tree_node> l, int v, std::unique_ptr<tree_node> r) {
    auto n = leaf(v);
    n->left = std::move(l);
    n->right = std::move(r);
    return n;
}

TEST_CASE("an ordinary recursive function suspends the fiber from deep inside the recursion") {
    //        4
    //      2   6
    //     1 3 5 7
    auto root = node(node(leaf(1), 2, leaf(3)), 4, node(leaf(5), 6, leaf(7)));
    tree_cursor cursor(root.get());
    std::vector<int> seen;
    for (int guard = 0; guard < 100; ++guard) {
        auto v = cursor.next();
        if (!v) {
            break;
        }
        seen.push_back(*v);
    }
    CHECK(seen == std::vector<int>{1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("the fiber can suspend a thousand calls deep and come back up") {
    int depth_reached = 0;
    fiber f([&depth_reached](fiber& self) {
        auto dive = [&](auto& again, int depth) -> void {
            if (depth == 1000) {
                depth_reached = depth;
                self.suspend();
                return;
            }
            again(again, depth + 1);
        };
        dive(dive, 0);
    });
    CHECK(f.resume());
    CHECK(depth_reached == 1000);
    CHECK_FALSE(f.resume());
}

TEST_CASE("an exception that escapes the body is rethrown by resume") {
    fiber f([](fiber& self) {
        self.suspend();
        throw std::runtime_error("fiber body failed");
    });
    CHECK(f.resume());
    CHECK_THROWS_WITH_AS(f.resume(), "fiber body failed", std::runtime_error);
    CHECK(f.done());
}

TEST_CASE("destroying a suspended fiber unwinds its stack and runs the destructors of its locals") {
    {
        fiber f([](fiber& self) {
            counted outer;
            auto nested = [&self] {
                counted inner;
                self.suspend();
            };
            nested();
        });
        CHECK(f.resume());
        CHECK(counted::alive == 2);
    }
    CHECK(counted::alive == 0);
}

TEST_CASE("a fiber that never started is destroyed without running its body") {
    bool ran = false;
    {
        fiber f([&ran](fiber&) { ran = true; });
    }
    CHECK_FALSE(ran);
}

TEST_CASE("many fibers interleave, each keeping its own stack") {
    std::vector<std::unique_ptr<fiber>> fibers;
    std::vector<int> sums(8, 0);
    for (int i = 0; i < 8; ++i) {
        fibers.push_back(std::make_unique<fiber>([&sums, i](fiber& self) {
            int local = i * 100; // lives on this fiber's own stack across the suspends
            for (int step = 0; step < 3; ++step) {
                sums[i] += local + step;
                self.suspend();
            }
        }));
    }
    for (int round = 0; round < 4; ++round) {
        for (auto& f : fibers) {
            f->resume();
        }
    }
    for (int i = 0; i < 8; ++i) {
        CHECK(sums[i] == 3 * i * 100 + 3);
        CHECK(fibers[i]->done());
    }
}

} // namespace
