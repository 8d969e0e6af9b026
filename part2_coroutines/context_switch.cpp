// context_switch.cpp: make_context and switch_context, in x86-64 assembly or on top of ucontext.
#include "context_switch.hpp"

#include <cstdint>
#include <cstring>
#include <system_error>

#if defined(CORO_TCP_CONTEXT_UCONTEXT)

namespace {
// makecontext passes only int arguments, so the two pointers travel as four 32-bit halves.
void ucontext_trampoline(unsigned entry_hi, unsigned entry_lo, unsigned arg_hi, unsigned arg_lo) {
    auto join = [](unsigned hi, unsigned lo) { return (std::uintptr_t{hi} << 32) | std::uintptr_t{lo}; };
    auto entry = reinterpret_cast<void (*)(void*)>(join(entry_hi, entry_lo));
    entry(reinterpret_cast<void*>(join(arg_hi, arg_lo)));
}
unsigned high(const void* p) {
    return static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(p) >> 32);
}
unsigned low(const void* p) {
    return static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(p));
}
} // namespace

void make_context(machine_context& ctx, void* stack_base, std::size_t stack_size, void (*entry)(void*),
                  void* arg) {
    if (getcontext(&ctx.uc_) != 0) {
        throw std::system_error(errno, std::generic_category(), "getcontext");
    }
    ctx.uc_.uc_stack.ss_sp = stack_base;
    ctx.uc_.uc_stack.ss_size = stack_size;
    ctx.uc_.uc_link = nullptr;
    auto entry_ptr = reinterpret_cast<const void*>(entry);
    makecontext(&ctx.uc_, reinterpret_cast<void (*)()>(ucontext_trampoline), 4, high(entry_ptr),
                low(entry_ptr), high(arg), low(arg));
}

void switch_context(machine_context& from, machine_context& to) {
    if (swapcontext(&from.uc_, &to.uc_) != 0) {
        throw std::system_error(errno, std::generic_category(), "swapcontext");
    }
}

#else

// snippet-begin: switch_asm
// System V x86-64: a called function may clobber every register except rbx, rbp, r12-r15, rsp and the
// control bits of MXCSR and the x87 control word. switch_context is an ordinary call from the compiler's
// point of view, so saving exactly those is enough; the caller already saved everything else it cares about.
// The last step pops the return address and jumps to it instead of using ret: the CPU predicts a ret from
// its stack of recent calls, and this ret never goes back to the call it pairs with, so it would be
// mispredicted every time (on our 2-core test machine, bench_switch went from 80 to 47 ns per round trip).
extern "C" void coro_tcp_switch_stack(void** save_sp, void* load_sp);
extern "C" void coro_tcp_fiber_trampoline();

asm(R"(
    .text
    .globl  coro_tcp_switch_stack
    .type   coro_tcp_switch_stack, @function
    .p2align 4
coro_tcp_switch_stack:              # rdi = where to save our rsp, rsi = the rsp to continue on
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    movq    %rsp, (%rdi)            # the whole saved context is now "this stack pointer"
    movq    %rsi, %rsp              # from here on we run on the other stack
    ldmxcsr (%rsp)
    fldcw   4(%rsp)
    addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    popq    %rcx                    # the address the other context called us from (caller-saved: free)
    jmpq    *%rcx                   # jmp, not ret: see the comment above
    .size   coro_tcp_switch_stack, .-coro_tcp_switch_stack

    .globl  coro_tcp_fiber_trampoline
    .type   coro_tcp_fiber_trampoline, @function
    .p2align 4
coro_tcp_fiber_trampoline:          # first "return" into a new context lands here
    .cfi_startproc
    .cfi_undefined rip              # tell debuggers and the unwinder: the stack ends here
    movq    %r13, %rdi
    callq   *%r12                   # entry(arg); never returns
    ud2
    .cfi_endproc
    .size   coro_tcp_fiber_trampoline, .-coro_tcp_fiber_trampoline
)");
// snippet-end: switch_asm

// snippet-begin: make_context
void make_context(machine_context& ctx, void* stack_base, std::size_t stack_size, void (*entry)(void*),
                  void* arg) {
    // Build, at the top of the new stack, exactly what coro_tcp_switch_stack pops: FPU control words, six
    // registers, then a return address pointing at the trampoline. r12 and r13 carry entry and arg to it.
    auto top = (reinterpret_cast<std::uintptr_t>(stack_base) + stack_size) & ~std::uintptr_t{15};
    // After the switch has popped eight words, rsp = sp + 64 must be 16-aligned: the ABI wants that before
    // the trampoline's call. top is 16-aligned, so sp = top - 80 is too, with one spare word above.
    auto* sp = reinterpret_cast<std::uint64_t*>(top - 80);
    std::uint32_t fpu[2] = {};
    asm volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(fpu[0]), "=m"(fpu[1]));
    std::memcpy(&sp[0], fpu, sizeof fpu);
    sp[1] = 0;                                      // r15
    sp[2] = 0;                                      // r14
    sp[3] = reinterpret_cast<std::uint64_t>(arg);   // r13
    sp[4] = reinterpret_cast<std::uint64_t>(entry); // r12
    sp[5] = 0;                                      // rbx
    sp[6] = 0;                                      // rbp: 0 ends frame-pointer walks
    sp[7] = reinterpret_cast<std::uint64_t>(&coro_tcp_fiber_trampoline);
    sp[8] = 0; // a fake return address for the trampoline's frame
    ctx.sp_ = sp;
}

void switch_context(machine_context& from, machine_context& to) {
    coro_tcp_switch_stack(&from.sp_, to.sp_);
}
// snippet-end: make_context

#endif
