// idle_tracker.hpp: which connections have been silent for too long, and how long epoll_wait may sleep.
#pragma once

#include <chrono>
#include <list>
#include <unordered_map>
#include <vector>

class idle_tracker {
public:
    using clock = std::chrono::steady_clock;

    explicit idle_tracker(std::chrono::milliseconds timeout) : timeout_(timeout) {}

    // Activity on connection `id` at `now` (starts tracking it if new).
    void touch(int id, clock::time_point now);
    // Stop tracking `id` (the connection closed for another reason).
    void forget(int id);
    // The timeout to pass to epoll_wait: milliseconds until the earliest idle deadline, rounded up so the
    // loop never wakes just before it; 0 if one has passed; -1 if nothing is tracked.
    int next_timeout_ms(clock::time_point now) const;
    // Removes and returns every id silent for at least the timeout at `now`, the longest-silent first.
    std::vector<int> expire(clock::time_point now);

    std::size_t size() const { return where_.size(); }

private:
    struct entry {
        int id;
        clock::time_point last_active;
    };
    // Every connection has the same timeout, so the order of last activity is the order of deadlines: a
    // list kept in that order (touch moves an entry to the back) gives the earliest deadline at the front,
    // with O(1) for every operation. No heap needed.
    std::chrono::milliseconds timeout_;
    std::list<entry> by_activity_;
    std::unordered_map<int, std::list<entry>::iterator> where_;
};
