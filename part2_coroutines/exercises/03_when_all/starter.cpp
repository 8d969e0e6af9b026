// Exercise 03: when_all of two tasks. See README.md.
#include "when_all.hpp"

task<std::pair<int, std::string>> when_all(task<int> a, task<std::string> b) {
    // TODO(exercise): this awaits a, and only then starts b. Start both, then wait for both.
    int first = co_await std::move(a);
    std::string second = co_await std::move(b);
    co_return std::pair<int, std::string>{first, std::move(second)};
}
