// bench_counter.hpp: coroutines defined in bench_counter.cpp, out of the benchmark's sight.
#pragma once

#include "generator.hpp"

#include <cstdint>

generator<std::uint64_t> counter();        // 0, 1, 2, ... forever
generator<std::uint64_t> idle_generator(); // for the memory count: created, never started
