// read_exactly.hpp: read exactly n bytes, all of them before a deadline.
#pragma once

#include "task.hpp"
#include "tcp_stream.hpp"
#include "timer_heap.hpp"

#include <cstddef>
#include <string>

// Throws std::system_error(std::errc::timed_out) if the n bytes have not all arrived by `deadline`, and
// std::runtime_error if the stream ends first. `stream` must outlive the co_await.
coro::task<std::string> read_exactly(coro::tcp_stream& stream, std::size_t n,
                                     coro::clock::time_point deadline);
