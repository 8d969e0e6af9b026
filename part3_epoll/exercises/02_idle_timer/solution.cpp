// Reference solution: the front of the list has the earliest deadline.
#include "idle_tracker.hpp"

#include <iterator>

void idle_tracker::touch(int id, clock::time_point now) {
    if (auto it = where_.find(id); it != where_.end()) {
        by_activity_.erase(it->second);
    }
    by_activity_.push_back({id, now});
    where_[id] = std::prev(by_activity_.end());
}

void idle_tracker::forget(int id) {
    if (auto it = where_.find(id); it != where_.end()) {
        by_activity_.erase(it->second);
        where_.erase(it);
    }
}

int idle_tracker::next_timeout_ms(clock::time_point now) const {
    if (by_activity_.empty()) {
        return -1;
    }
    const auto left = by_activity_.front().last_active + timeout_ - now;
    if (left <= clock::duration::zero()) {
        return 0;
    }
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

std::vector<int> idle_tracker::expire(clock::time_point now) {
    std::vector<int> expired;
    while (!by_activity_.empty() && by_activity_.front().last_active + timeout_ <= now) {
        expired.push_back(by_activity_.front().id);
        where_.erase(by_activity_.front().id);
        by_activity_.pop_front();
    }
    return expired;
}
