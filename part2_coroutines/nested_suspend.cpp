// nested_suspend: a fiber suspends from inside an ordinary recursive function (an in-order tree walk) and the
// caller pulls the values out one at a time. Prints the values and the depth of each suspension.
#include "tree_walk.hpp"

#include <cstdio>
#include <memory>

namespace {

// A balanced tree over [first, last).
std::unique_ptr<tree_node> build(int first, int last) {
    if (first >= last) {
        return nullptr;
    }
    int mid = first + (last - first) / 2;
    auto n = std::make_unique<tree_node>();
    n->value = mid;
    n->left = build(first, mid);
    n->right = build(mid + 1, last);
    return n;
}

} // namespace

int main() {
    auto root = build(1, 16);
    tree_cursor cursor(root.get());
    std::printf("in-order walk, one value per resume():");
    while (auto v = cursor.next()) {
        std::printf(" %d", *v);
    }
    std::printf("\n");
}
