// Exercise 01: a range(first, last, step) generator. See README.md.
#include "range.hpp"

#include <stdexcept>

generator<int> range(int first, int last, int step) {
    // TODO(exercise): yield first, first + step, ... while before last; throw std::invalid_argument for step
    // 0.
    (void)first;
    (void)last;
    (void)step;
    co_return;
}
