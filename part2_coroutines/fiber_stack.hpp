// fiber_stack.hpp: memory for a stackful coroutine's stack, from mmap, with a guard page below it.
//
// The guard page is the cheap safety net: a fiber that recurses too deep hits a PROT_NONE page and dies with
// SIGSEGV at the faulting instruction, instead of silently overwriting whatever was mapped below its stack.
// The pages above it cost address space only until they are first touched, so a 64 KiB stack for a fiber
// that uses 2 KiB costs one or two pages of real memory.
#pragma once

#include <cstddef>

class fiber_stack {
public:
    explicit fiber_stack(std::size_t usable_bytes);
    fiber_stack(fiber_stack&& other) noexcept;
    fiber_stack& operator=(fiber_stack&&) = delete;
    fiber_stack(const fiber_stack&) = delete;
    fiber_stack& operator=(const fiber_stack&) = delete;
    ~fiber_stack();

    // The usable part, above the guard page. Stacks grow down: execution starts at base() + size().
    void* base() const noexcept { return usable_; }
    std::size_t size() const noexcept { return usable_size_; }

private:
    void* mapping_ = nullptr;
    std::size_t mapping_size_ = 0;
    void* usable_ = nullptr;
    std::size_t usable_size_ = 0;
};
