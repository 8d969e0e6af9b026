// tree_walk.hpp: what only a stackful coroutine can do. An in-order walk of a binary tree written as the
// plain recursive function everybody knows, which hands out one value at a time by suspending the fiber from
// whatever recursion depth it is at. A stackless coroutine can only suspend in its own body, so the same
// walk as a generator must turn every level of the recursion into a coroutine of its own.
#pragma once

#include "fiber.hpp"

#include <memory>
#include <optional>

struct tree_node {
    int value = 0;
    std::unique_ptr<tree_node> left;
    std::unique_ptr<tree_node> right;
};

// snippet-begin: walk
// An ordinary function: not a coroutine, no special return type. It suspends the fiber it runs on.
inline void walk_in_order(const tree_node* node, fiber& self, std::optional<int>& out) {
    if (node == nullptr) {
        return;
    }
    walk_in_order(node->left.get(), self, out);
    out = node->value;
    self.suspend(); // from inside the recursion: the whole chain of walk_in_order frames waits on the fiber
                    // stack
    walk_in_order(node->right.get(), self, out);
}

// Pulls one value at a time out of the recursive walk.
class tree_cursor {
public:
    explicit tree_cursor(const tree_node* root)
        : fiber_([this, root](fiber& self) { walk_in_order(root, self, current_); }) {}

    std::optional<int> next() {
        current_.reset();
        fiber_.resume();
        return current_;
    }

private:
    std::optional<int> current_; // declared before fiber_: the fiber's body writes here until it is destroyed
    fiber fiber_;
};
// snippet-end: walk
