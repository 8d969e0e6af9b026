// Exercise 01, reference solution.
#include "range.hpp"

#include <stdexcept>

generator<int> range(int first, int last, int step) {
    if (step == 0) {
        throw std::invalid_argument("range: step must not be 0");
    }
    for (int i = first; step > 0 ? i < last : i > last; i += step) {
        co_yield i;
    }
}
