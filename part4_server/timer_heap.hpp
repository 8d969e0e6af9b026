// timer_heap.hpp: pending deadlines, earliest first. Each node remembers its position in the heap, so a
// timer that is no longer needed (the read it guarded finished first) is removed in O(log n) with no search
// and no allocation: the common case for a timeout is that it never fires.
#pragma once

#include <chrono>
#include <cstddef>
#include <system_error>
#include <utility>
#include <vector>

namespace coro {

using clock = std::chrono::steady_clock;

struct timer_node {
    static constexpr std::size_t not_queued = static_cast<std::size_t>(-1);

    clock::time_point deadline{};
    // Called by the loop when the deadline passes (why = timed_out) or at shutdown (operation_canceled).
    void (*fire)(timer_node& self, std::errc why) noexcept = nullptr;
    std::size_t index = not_queued;

    bool queued() const noexcept { return index != not_queued; }
};

class timer_heap {
public:
    bool empty() const noexcept { return heap_.empty(); }
    timer_node& top() const noexcept { return *heap_.front(); }

    void push(timer_node& node) {
        node.index = heap_.size();
        heap_.push_back(&node);
        sift_up(node.index);
    }

    void remove(timer_node& node) noexcept {
        std::size_t i = node.index;
        node.index = timer_node::not_queued;
        timer_node* last = heap_.back();
        heap_.pop_back();
        if (last == &node) {
            return;
        }
        place(i, last);
        sift_down(i);
        sift_up(last->index);
    }

private:
    void place(std::size_t i, timer_node* node) noexcept {
        heap_[i] = node;
        node->index = i;
    }
    bool earlier(std::size_t a, std::size_t b) const noexcept {
        return heap_[a]->deadline < heap_[b]->deadline;
    }
    void sift_up(std::size_t i) noexcept {
        while (i > 0 && earlier(i, (i - 1) / 2)) {
            swap_nodes(i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
    }
    void sift_down(std::size_t i) noexcept {
        for (;;) {
            std::size_t smallest = i;
            for (std::size_t child : {2 * i + 1, 2 * i + 2}) {
                if (child < heap_.size() && earlier(child, smallest)) {
                    smallest = child;
                }
            }
            if (smallest == i) {
                return;
            }
            swap_nodes(i, smallest);
            i = smallest;
        }
    }
    void swap_nodes(std::size_t a, std::size_t b) noexcept {
        timer_node* node_a = heap_[a];
        place(a, heap_[b]);
        place(b, node_a);
    }

    std::vector<timer_node*> heap_;
};

} // namespace coro
