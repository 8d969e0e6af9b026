// context_switch.hpp: the one primitive a stackful coroutine needs. Save the registers a function call must
// preserve plus the stack pointer, load another set, and continue wherever that set was saved.
//
// On x86-64 this is twenty lines of assembly in context_switch.cpp. Everywhere else we fall back to POSIX
// ucontext (getcontext/makecontext/swapcontext), which is portable but much slower: glibc's swapcontext also
// saves and restores the signal mask, which costs a system call per switch (bench_switch measures it).
#pragma once

#include <cstddef>

#if !defined(__x86_64__) || defined(CORO_TCP_USE_UCONTEXT)
#include <ucontext.h>
#define CORO_TCP_CONTEXT_UCONTEXT 1
#endif

// snippet-begin: machine_context
#if defined(CORO_TCP_CONTEXT_UCONTEXT)
struct machine_context {
    ucontext_t uc_;
};
#else
// Everything else a suspended x86-64 context needs (rbx, rbp, r12-r15, the FPU control words and the return
// address) is pushed on its own stack by the switch, so the context itself is one pointer.
struct machine_context {
    void* sp_ = nullptr;
};
#endif

// Prepares ctx so that the first switch into it calls entry(arg) on the stack [stack_base, +stack_size).
// entry must never return: there is no caller frame to return to. It switches away for the last time instead.
void make_context(machine_context& ctx, void* stack_base, std::size_t stack_size, void (*entry)(void*),
                  void* arg);

// Saves the current context into from, then continues where to was saved. Returns when someone switches
// back into from.
void switch_context(machine_context& from, machine_context& to);
// snippet-end: machine_context
