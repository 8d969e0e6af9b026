// bench_thread_cost: what does a thread per connection cost? Starts N threads that block in read(2), the
// way a connection thread waits for its client, and reports
//   - the time to create and start them (median of several runs),
//   - the memory each idle thread adds to the process: resident (RSS) and virtual (VmSize), read from
//     /proc/self/status, and the kernel stack it adds (KernelStack in /proc/meminfo). Usage:
//     bench_thread_cost [--threads 1000] [--runs 5]
#include "cli.hpp"
#include "file_descriptor.hpp"
#include "system_error.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace {

// One field of /proc/self/status or /proc/meminfo, in KiB ("VmRSS:	    3412 kB").
long status_kib(const std::string& field, const char* file = "/proc/self/status") {
    std::ifstream status(file);
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with(field + ":")) {
            return std::stol(line.substr(field.size() + 1));
        }
    }
    throw std::runtime_error(std::string(file) + ": no " + field);
}

struct run_result {
    double start_ms;         // create + start every thread
    double rss_kib;          // resident memory added, per thread
    double vm_kib;           // virtual memory added, per thread
    double kernel_stack_kib; // kernel stacks added machine-wide, per thread (other processes add noise)
};

// snippet-begin: one_run
run_result one_run(int count) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) < 0) {
        throw_system_error("pipe");
    }
    file_descriptor read_end(pipe_fds[0]);
    file_descriptor write_end(pipe_fds[1]);
    long rss_before = status_kib("VmRSS");
    long vm_before = status_kib("VmSize");
    long kernel_before = status_kib("KernelStack", "/proc/meminfo");

    std::latch started(count);
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(count));
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < count; ++i) {
        threads.emplace_back([&started, fd = read_end.get()] {
            started.count_down();
            char byte;
            [[maybe_unused]] auto n = ::read(fd, &byte, 1); // idle, like a thread waiting for its client
        });
    }
    started.wait(); // every thread is running, not merely created
    auto t1 = std::chrono::steady_clock::now();

    run_result result{std::chrono::duration<double, std::milli>(t1 - t0).count(),
                      static_cast<double>(status_kib("VmRSS") - rss_before) / count,
                      static_cast<double>(status_kib("VmSize") - vm_before) / count,
                      static_cast<double>(status_kib("KernelStack", "/proc/meminfo") - kernel_before) /
                          count};
    write_end.reset(); // end of file for every reader: all threads return
    for (std::thread& t : threads) {
        t.join();
    }
    return result;
}
// snippet-end: one_run

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    int count = 1000;
    int runs = 5;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string arg = argv[i];
            if (i + 1 >= argc || (arg != "--threads" && arg != "--runs")) {
                throw usage_error("usage: bench_thread_cost [--threads N] [--runs N]");
            }
            (arg == "--threads" ? count : runs) = static_cast<int>(parse_number(arg, argv[++i], 1, 100'000));
        }
    } catch (const usage_error& e) {
        std::cerr << "bench_thread_cost: " << e.what() << "\n";
        return 2;
    }

    std::vector<double> start_ms, rss, vm, kernel;
    for (int r = 0; r < runs; ++r) {
        run_result result = one_run(count);
        start_ms.push_back(result.start_ms);
        rss.push_back(result.rss_kib);
        vm.push_back(result.vm_kib);
        kernel.push_back(result.kernel_stack_kib);
    }
    std::printf("%d idle threads, median of %d runs (%u hardware threads)\n", count, runs,
                std::thread::hardware_concurrency());
    std::printf("  create + start: %.1f ms total, %.1f us per thread\n", median(start_ms),
                median(start_ms) * 1000.0 / count);
    std::printf("  memory per idle thread: RSS %.1f KiB, virtual %.0f KiB\n", median(rss), median(vm));
    std::printf("  kernel stack per thread (KernelStack in /proc/meminfo, machine-wide): %.1f KiB\n",
                median(kernel));
    std::printf("  (not counted: the kernel's task struct and scheduler data for each thread)\n");
    return 0;
}
