// bench_switch: what does one suspend-and-resume cost, and what does one suspended thing weigh?
//
// Round trip = hand control to the other side and get it back. Each mechanism is timed over many round trips,
// the run is repeated, and the median of the repeats is printed, with its ratio to the stackless coroutine.
// Memory: 10,000 suspended coroutine frames, fiber stacks and idle threads, from /proc/self/status.
// Not a test: numbers depend on the machine and on whatever else runs on it.
#include "bench_counter.hpp"
#include "fiber.hpp"
#include "fiber_stack.hpp"

#if defined(CORO_TCP_HAVE_BOOST_CONTEXT)
#include <boost/context/fiber.hpp>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

namespace {

constexpr int repeats = 7;

// Runs one measurement (which returns nanoseconds per round trip) `repeats` times; returns the median.
double median_ns(const std::function<double()>& once) {
    std::vector<double> runs;
    for (int i = 0; i < repeats; ++i) {
        runs.push_back(once());
    }
    std::sort(runs.begin(), runs.end());
    return runs[runs.size() / 2];
}

template <typename F>
double ns_per_iteration(long iterations, F&& body) {
    auto start = std::chrono::steady_clock::now();
    body();
    std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
    return elapsed.count() / static_cast<double>(iterations);
}

// --- stackless: one generator resume + co_yield suspend
// -------------------------------------------------------
double generator_round_trip() {
    constexpr long n = 20'000'000;
    auto g = counter();
    std::uint64_t sum = 0;
    double ns = ns_per_iteration(n, [&] {
        long i = 0;
        for (auto v : g) {
            sum += v;
            if (++i == n) {
                break;
            }
        }
    });
    if (sum == 0) {
        throw std::logic_error("generator produced nothing");
    }
    return ns;
}

// --- stackful: our fiber, resume() + suspend()
// ----------------------------------------------------------------
double fiber_round_trip() {
    constexpr long n = 5'000'000;
    long count = 0;
    fiber f([&count](fiber& self) {
        for (;;) {
            ++count;
            self.suspend();
        }
    });
    double ns = ns_per_iteration(n, [&] {
        for (long i = 0; i < n; ++i) {
            f.resume();
        }
    });
    if (count != n) {
        throw std::logic_error("fiber did not run once per resume");
    }
    return ns;
}

// --- stackful: POSIX ucontext, swapcontext there and back
// -----------------------------------------------------
ucontext_t uc_main;
ucontext_t uc_other;
void ucontext_body() {
    for (;;) {
        swapcontext(&uc_other, &uc_main);
    }
}

double ucontext_round_trip() {
    constexpr long n = 100'000;
    fiber_stack stack(64 * 1024);
    getcontext(&uc_other);
    uc_other.uc_stack.ss_sp = stack.base();
    uc_other.uc_stack.ss_size = stack.size();
    uc_other.uc_link = nullptr;
    makecontext(&uc_other, ucontext_body, 0);
    return ns_per_iteration(n, [&] {
        for (long i = 0; i < n; ++i) {
            swapcontext(&uc_main, &uc_other);
        }
    });
}

#if defined(CORO_TCP_HAVE_BOOST_CONTEXT)
// --- stackful: Boost.Context fiber
// ----------------------------------------------------------------------------
double boost_round_trip() {
    constexpr long n = 5'000'000;
    namespace ctx = boost::context;
    ctx::fiber other{[](ctx::fiber&& back) {
        for (;;) {
            back = std::move(back).resume();
        }
        return std::move(back);
    }};
    double ns = ns_per_iteration(n, [&] {
        for (long i = 0; i < n; ++i) {
            other = std::move(other).resume();
        }
    });
    return ns; // `other` is destroyed suspended: Boost unwinds it with its forced_unwind exception
}
#endif

// --- OS threads: hand control to another thread and wait for it to hand it back
// ------------------------------
void pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (int err = pthread_setaffinity_np(pthread_self(), sizeof set, &set); err != 0) {
        throw std::system_error(err, std::generic_category(), "pthread_setaffinity_np");
    }
}

// Runs ping (on the calling thread) against pong (on a new thread), pinned to the given CPUs.
// Few round trips: on a virtual machine a wake-up on the other core can take a hundred microseconds.
long thread_round_trips(int ping_cpu, int pong_cpu) {
    return ping_cpu == pong_cpu ? 5'000 : 1'000;
}

double thread_ping_pong(long n, int ping_cpu, int pong_cpu, const std::function<void()>& ping,
                        const std::function<void()>& pong) {
    cpu_set_t original;
    pthread_getaffinity_np(pthread_self(), sizeof original, &original);
    pin_to(ping_cpu);
    std::thread partner([&] {
        pin_to(pong_cpu);
        for (long i = 0; i < n; ++i) {
            pong();
        }
    });
    double ns = ns_per_iteration(n, [&] {
        for (long i = 0; i < n; ++i) {
            ping();
        }
    });
    partner.join();
    pthread_setaffinity_np(pthread_self(), sizeof original, &original);
    return ns;
}

double condvar_round_trip(int ping_cpu, int pong_cpu) {
    const long n = thread_round_trips(ping_cpu, pong_cpu);
    std::mutex m;
    std::condition_variable cv;
    bool partners_turn = false;
    auto ping = [&] {
        std::unique_lock lock(m);
        partners_turn = true;
        cv.notify_one();
        cv.wait(lock, [&] { return !partners_turn; });
    };
    auto pong = [&] {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return partners_turn; });
        partners_turn = false;
        cv.notify_one();
    };
    return thread_ping_pong(n, ping_cpu, pong_cpu, ping, pong);
}

struct eventfd_pair {
    int to_partner = eventfd(0, EFD_CLOEXEC);
    int to_main = eventfd(0, EFD_CLOEXEC);
    eventfd_pair() {
        if (to_partner < 0 || to_main < 0) {
            throw std::system_error(errno, std::generic_category(), "eventfd");
        }
    }
    eventfd_pair(const eventfd_pair&) = delete;
    eventfd_pair& operator=(const eventfd_pair&) = delete;
    ~eventfd_pair() {
        close(to_partner);
        close(to_main);
    }
};

void eventfd_signal(int fd) {
    std::uint64_t one = 1;
    if (write(fd, &one, sizeof one) != sizeof one) {
        throw std::system_error(errno, std::generic_category(), "write");
    }
}
void eventfd_wait(int fd) {
    std::uint64_t value = 0;
    if (read(fd, &value, sizeof value) != sizeof value) { // blocks until the other side writes
        throw std::system_error(errno, std::generic_category(), "read");
    }
}

double eventfd_round_trip(int ping_cpu, int pong_cpu) {
    const long n = thread_round_trips(ping_cpu, pong_cpu);
    eventfd_pair fds;
    auto ping = [&] {
        eventfd_signal(fds.to_partner);
        eventfd_wait(fds.to_main);
    };
    auto pong = [&] {
        eventfd_wait(fds.to_partner);
        eventfd_signal(fds.to_main);
    };
    return thread_ping_pong(n, ping_cpu, pong_cpu, ping, pong);
}

// The raw futex: what the condition variable and std::atomic::wait are built on, without their bookkeeping.
void futex_wait(std::atomic<int>& word, int expected) {
    syscall(SYS_futex, reinterpret_cast<int*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}
void futex_wake(std::atomic<int>& word) {
    syscall(SYS_futex, reinterpret_cast<int*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

double futex_round_trip(int ping_cpu, int pong_cpu) {
    const long n = thread_round_trips(ping_cpu, pong_cpu);
    std::atomic<int> turn{0}; // 0: main's turn, 1: the partner's
    static_assert(sizeof(std::atomic<int>) == sizeof(int));
    auto ping = [&] {
        turn.store(1);
        futex_wake(turn);
        while (turn.load() == 1) {
            futex_wait(turn, 1);
        }
    };
    auto pong = [&] {
        while (turn.load() == 0) {
            futex_wait(turn, 0);
        }
        turn.store(0);
        futex_wake(turn);
    };
    return thread_ping_pong(n, ping_cpu, pong_cpu, ping, pong);
}

// --- memory
// ---------------------------------------------------------------------------------------------------
struct vm_numbers {
    long rss_kib = 0;
    long size_kib = 0;
};

vm_numbers read_status() {
    vm_numbers v;
    FILE* f = std::fopen("/proc/self/status", "r");
    if (f == nullptr) {
        throw std::system_error(errno, std::generic_category(), "fopen /proc/self/status");
    }
    char line[256];
    while (std::fgets(line, sizeof line, f) != nullptr) {
        std::sscanf(line, "VmRSS: %ld", &v.rss_kib);
        std::sscanf(line, "VmSize: %ld", &v.size_kib);
    }
    std::fclose(f);
    return v;
}

struct per_item {
    double rss_bytes;
    double virtual_bytes;
};

// before/after snapshots around `make`, which must keep its count objects alive until `release` is called.
per_item measure(int count, const std::function<void()>& make, const std::function<void()>& release) {
    vm_numbers before = read_status();
    make();
    vm_numbers after = read_status();
    release();
    return {static_cast<double>(after.rss_kib - before.rss_kib) * 1024 / count,
            static_cast<double>(after.size_kib - before.size_kib) * 1024 / count};
}

constexpr int memory_count = 10'000;

per_item frames_memory() {
    std::vector<generator<std::uint64_t>> frames;
    frames.reserve(memory_count); // the vector's own storage is not what we measure
    return measure(
        memory_count,
        [&] {
            for (int i = 0; i < memory_count; ++i) {
                frames.push_back(idle_generator());
            }
        },
        [&] { frames.clear(); });
}

per_item fibers_memory() {
    std::vector<std::unique_ptr<fiber>> fibers;
    fibers.reserve(memory_count);
    return measure(
        memory_count,
        [&] {
            for (int i = 0; i < memory_count; ++i) {
                fibers.push_back(std::make_unique<fiber>([](fiber& self) { self.suspend(); }));
                fibers.back()->resume(); // suspended inside its body: its stack is in use
            }
        },
        [&] { fibers.clear(); });
}

per_item threads_memory(int& started) {
    std::vector<std::thread> threads;
    threads.reserve(memory_count);
    std::latch go{1};
    per_item result{};
    std::atomic<int> waiting{0};
    result = measure(
        memory_count,
        [&] {
            for (int i = 0; i < memory_count; ++i) {
                threads.emplace_back([&] {
                    ++waiting;
                    go.wait(); // idle: blocked in the kernel until released
                });
            }
            while (waiting.load() < memory_count) {
                std::this_thread::yield(); // bounded: every thread increments once before blocking
            }
        },
        [&] {
            go.count_down();
            for (auto& t : threads) {
                t.join();
            }
        });
    started = static_cast<int>(threads.size());
    return result;
}

struct row {
    std::string name;
    double ns;
};

} // namespace

int main() {
    const unsigned cpus = std::thread::hardware_concurrency();
    std::printf("bench_switch: median of %d runs per row; %u CPUs\n\n", repeats, cpus);

    std::vector<row> rows;
    rows.push_back({"stackless coroutine (generator next)", median_ns(generator_round_trip)});
    rows.push_back({"stackful fiber (our x86-64 switch)", median_ns(fiber_round_trip)});
#if defined(CORO_TCP_HAVE_BOOST_CONTEXT)
    rows.push_back({"stackful fiber (Boost.Context)", median_ns(boost_round_trip)});
#endif
    rows.push_back({"ucontext swapcontext", median_ns(ucontext_round_trip)});
    rows.push_back(
        {"thread hand-off, condvar, same core", median_ns([] { return condvar_round_trip(0, 0); })});
    rows.push_back(
        {"thread hand-off, eventfd, same core", median_ns([] { return eventfd_round_trip(0, 0); })});
    rows.push_back({"thread hand-off, futex, same core", median_ns([] { return futex_round_trip(0, 0); })});
    if (cpus > 1) {
        rows.push_back(
            {"thread hand-off, condvar, two cores", median_ns([] { return condvar_round_trip(0, 1); })});
        rows.push_back(
            {"thread hand-off, eventfd, two cores", median_ns([] { return eventfd_round_trip(0, 1); })});
        rows.push_back(
            {"thread hand-off, futex, two cores", median_ns([] { return futex_round_trip(0, 1); })});
    }

    const double base = rows.front().ns;
    std::printf("| %-38s | %14s | %11s |\n", "round trip (switch there and back)", "ns", "x stackless");
    std::printf("|%s|%s|%s|\n", std::string(40, '-').c_str(), std::string(16, '-').c_str(),
                std::string(13, '-').c_str());
    for (const row& r : rows) {
        std::printf("| %-38s | %14.1f | %11.1f |\n", r.name.c_str(), r.ns, r.ns / base);
    }

    int threads_started = 0;
    per_item frames = frames_memory();
    per_item fibers = fibers_memory();
    per_item threads = threads_memory(threads_started);
    std::printf("\n| %-38s | %14s | %14s |\n", "10,000 suspended ... (per item)", "RSS bytes",
                "virtual bytes");
    std::printf("|%s|%s|%s|\n", std::string(40, '-').c_str(), std::string(16, '-').c_str(),
                std::string(16, '-').c_str());
    std::printf("| %-38s | %14.0f | %14.0f |\n", "coroutine frames (generator)", frames.rss_bytes,
                frames.virtual_bytes);
    std::printf("| %-38s | %14.0f | %14.0f |\n", "fibers (64 KiB stack + guard page)", fibers.rss_bytes,
                fibers.virtual_bytes);
    std::printf("| %-38s | %14.0f | %14.0f |\n", "idle threads (default stack)", threads.rss_bytes,
                threads.virtual_bytes);
    double fastest_thread = 0;
    double slowest_thread = 0;
    for (const row& r : rows) {
        if (r.name.starts_with("thread")) {
            fastest_thread = fastest_thread == 0 ? r.ns : std::min(fastest_thread, r.ns);
            slowest_thread = std::max(slowest_thread, r.ns);
        }
    }
    std::printf("\nthread hand-off / stackless round trip: %.0fx (fastest thread row) to %.0fx (slowest)\n",
                fastest_thread / base, slowest_thread / base);
    std::printf("%d idle threads were started for the memory row\n", threads_started);
}
