// The coroutine lifetime rules of the C++ Core Guidelines (CP.51, CP.52, CP.53), each as a wrong version that
// compiles without a warning and a right version that the tests run. The wrong versions are never called:
// they are undefined behaviour. Run by hand under ASan (-O1), GCC 12's build printed 560 1840 3120 for
// wrong::make_jobs (instead of 0 10 20) and reported stack-use-after-scope in wrong::use_it; Clang 14's
// reported stack-buffer-underflow in make_jobs and printed a plausible 2 for use_it. The CP.52 one deadlocks.
// Sanitizers catch some of these, not all. docs/part2_coroutines.md shows wrong and right side by side.
#include "sync_wait.hpp"
#include "task.hpp"

#include <doctest/doctest.h>

#include <coroutine>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

// A tiny scheduler for the CP.52 example: co_await yield_to{queue} suspends and queues the coroutine; run()
// resumes queued coroutines in order. Enough to let two tasks interleave on one thread.
struct run_queue {
    std::deque<std::coroutine_handle<>> ready_;
    void run() {
        for (int guard = 0; !ready_.empty() && guard < 1000; ++guard) {
            auto h = ready_.front();
            ready_.pop_front();
            h.resume();
        }
    }
};
struct yield_to {
    run_queue& queue_;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) { queue_.ready_.push_back(h); }
    void await_resume() const noexcept {}
};

namespace wrong {

// snippet-begin: cp51_wrong
// CP.51: the lambda is a coroutine that captures i. The frame keeps only a pointer to the lambda object
// (its `this`), and the lambda object dies at the end of the loop iteration, long before the lazy task runs.
std::vector<task<int>> make_jobs() {
    std::vector<task<int>> jobs;
    for (int i = 0; i < 3; ++i) {
        auto job = [i]() -> task<int> { co_return i * 10; };
        jobs.push_back(job()); // the task outlives `job`; co_return reads a dead capture
    }
    return jobs;
}
// snippet-end: cp51_wrong

// snippet-begin: cp52_wrong
// CP.52: the lock is held across a suspension point. Another coroutine on the same thread that locks the
// same mutex while this one is suspended deadlocks (and if this one resumed on another thread, it would
// unlock a mutex that thread does not own).
task<void> add_slowly(std::mutex& m, int& total, run_queue& q) {
    std::lock_guard lock(m);
    int seen = total;
    co_await yield_to{q}; // suspended with m locked
    total = seen + 1;
}
// snippet-end: cp52_wrong

// snippet-begin: cp53_wrong
// CP.53: a reference parameter. The frame stores the reference, not the string. The caller's temporary is
// destroyed at the end of the full expression that created the task, before the lazy task ever runs.
task<std::size_t> count_spaces(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) {
        n += c == ' ' ? 1 : 0;
    }
    co_return n;
}

std::size_t use_it() {
    task<std::size_t> t = count_spaces(std::string("a b c")); // the string dies here
    return sync_wait(std::move(t));                           // and is read here
}
// snippet-end: cp53_wrong

} // namespace wrong

namespace right {

// snippet-begin: cp51_right
// The value the coroutine needs is a parameter: parameters are copied into the frame. No capture, no problem.
std::vector<task<int>> make_jobs() {
    std::vector<task<int>> jobs;
    for (int i = 0; i < 3; ++i) {
        auto job = [](int value) -> task<int> { co_return value * 10; };
        jobs.push_back(job(i));
    }
    return jobs;
}
// snippet-end: cp51_right

// snippet-begin: cp52_right
// Lock, do the work that needs the lock, unlock, and only then suspend. Whatever must survive the suspension
// is re-checked under the lock afterwards.
task<void> add_slowly(std::mutex& m, int& total, run_queue& q) {
    {
        std::lock_guard lock(m);
        ++total;
    }
    co_await yield_to{q};
    {
        std::lock_guard lock(m);
        ++total;
    }
}
// snippet-end: cp52_right

// snippet-begin: cp53_right
// By value: the string is moved into the frame and lives exactly as long as the coroutine.
task<std::size_t> count_spaces(std::string text) {
    std::size_t n = 0;
    for (char c : text) {
        n += c == ' ' ? 1 : 0;
    }
    co_return n;
}
// snippet-end: cp53_right

} // namespace right

namespace {

TEST_CASE("CP.51: jobs that take their value as a parameter compute it after the loop has ended") {
    std::vector<int> results;
    for (auto& job : right::make_jobs()) {
        results.push_back(sync_wait(std::move(job)));
    }
    CHECK(results == std::vector<int>{0, 10, 20});
}

TEST_CASE("CP.52: two coroutines that do not hold the lock across co_await interleave without deadlock") {
    std::mutex m;
    int total = 0;
    run_queue q;
    // The mutex, total and q outlive both tasks, so the reference parameters are safe here (see CP.53).
    auto driver = [](std::mutex& mm, int& tt, run_queue& qq) -> task<void> {
        co_await right::add_slowly(mm, tt, qq);
    };
    task<void> a = driver(m, total, q);
    task<void> b = driver(m, total, q);
    a.handle().resume(); // runs to the yield, queued
    b.handle().resume(); // locks while a is suspended: fine, a does not hold the lock
    q.run();
    CHECK(a.handle().done());
    CHECK(b.handle().done());
    CHECK(total == 4);
}

TEST_CASE("CP.53: a coroutine that takes its string by value can be given a temporary") {
    task<std::size_t> t = right::count_spaces(std::string("a b c"));
    CHECK(sync_wait(std::move(t)) == 2);
}

} // namespace
