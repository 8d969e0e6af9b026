#include "fiber_stack.hpp"

#include <cerrno>
#include <system_error>
#include <utility>

#include <sys/mman.h>
#include <unistd.h>

// snippet-begin: mmap
fiber_stack::fiber_stack(std::size_t usable_bytes) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    usable_size_ = (usable_bytes + page - 1) / page * page;
    mapping_size_ = usable_size_ + page;
    mapping_ =
        mmap(nullptr, mapping_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mapping_ == MAP_FAILED) {
        throw std::system_error(errno, std::generic_category(), "mmap");
    }
    // The lowest page becomes the guard: stacks grow down, so an overflow runs into it.
    if (mprotect(mapping_, page, PROT_NONE) != 0) {
        int err = errno;
        munmap(mapping_, mapping_size_);
        throw std::system_error(err, std::generic_category(), "mprotect");
    }
    usable_ = static_cast<char*>(mapping_) + page;
}
// snippet-end: mmap

fiber_stack::fiber_stack(fiber_stack&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)), mapping_size_(other.mapping_size_),
      usable_(other.usable_), usable_size_(other.usable_size_) {}

fiber_stack::~fiber_stack() {
    if (mapping_ != nullptr) {
        munmap(mapping_, mapping_size_);
    }
}
