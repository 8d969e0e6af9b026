// range.hpp: the interface of exercise 01. Implement it in starter.cpp; do not change this file.
#pragma once

#include "generator.hpp"

// Yields first, first + step, first + 2 * step, ... while the value is before last (below last for a positive
// step, above it for a negative one), like Python's range(). step == 0 throws std::invalid_argument when the
// iteration begins (the generator is lazy: the call itself does not run the body).
generator<int> range(int first, int last, int step = 1);
