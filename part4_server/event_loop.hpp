// event_loop.hpp: one epoll set, one thread, any number of connection coroutines.
//
// Each socket is registered once, edge-triggered for input and output, with data.ptr pointing at its
// io_state. Awaitables try their syscall first and park their coroutine in the io_state only when the
// kernel says "would block"; an epoll edge then retries the syscall and resumes the coroutine. Nothing here
// is global: a program may run one loop per thread (event_loop::current() is per thread).
#pragma once

#include "io_state.hpp"
#include "task.hpp"
#include "timer_heap.hpp"
#include "unique_fd.hpp"

#include <sys/epoll.h>

#include <array>
#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>
#include <vector>

namespace coro {

class event_loop {
public:
    event_loop();
    ~event_loop();
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;

    // The loop whose run() is executing on this thread; throws std::logic_error outside run().
    static event_loop& current();

    // Starts t on this loop (at the loop's next turn) and owns its frame until it finishes. An exception
    // that escapes t is logged to stderr (operation_canceled, the normal end at shutdown, silently).
    void spawn(task<void> t);

    // Runs until every spawned task has finished. stop() makes that happen soon: see cancel_everything().
    void run();

    // Spawns t, runs the loop until t finishes, then stops the loop (cancelling every other task) and
    // returns t's result or rethrows its exception. For clients, tests and examples.
    template <typename T>
    T block_on(task<T> t);

    // Asks the loop to shut down. Safe from any thread and from a signal-free context: it sets a flag and
    // writes the loop's eventfd so a sleeping epoll_wait wakes up.
    void stop() noexcept;

    // SIGINT/SIGTERM (or the given signals) call stop() through a signalfd. Blocks the signals in the
    // calling thread: call it before starting other threads so they inherit the mask.
    void stop_on_signals(std::initializer_list<int> signals);

    bool stopping() const noexcept { return stopping_; }
    std::size_t live_tasks() const noexcept { return live_tasks_; }

    // --- for awaitables (the runtime's own headers) ---

    // Registers fd once (EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET). fd < 0: a state that is never in epoll (a
    // notifier). The state lives until close_state().
    io_state& add(int fd);
    // Cancels the state's waiting ops, removes fd from epoll, closes it, frees the state after this batch.
    void close_state(io_state& state) noexcept;
    // Resumes h at the loop's next turn (never inside the caller: no re-entrancy surprises).
    void post(std::coroutine_handle<> h) { ready_.push_back(h); }
    // Takes op out of its socket's slot (and its timer out of the heap): it finished, resume it now.
    void unpark(io_op& op) noexcept;
    // Unparks op, if it is still waiting, and resumes it at the next turn with a system_error(why).
    void cancel(io_op& op, std::errc why) noexcept;
    // Retries the socket's parked operations at the loop's next turn (an op that yielded for fairness).
    void poke(io_state& state) { pokes_.push_back(&state); }
    void add_timer(timer_node& node) { timers_.push(node); }
    void remove_timer(timer_node& node) noexcept { timers_.remove(node); }

    // The buffer read_some() reads into. One per loop: an idle connection owns no read buffer.
    std::span<std::byte> read_buffer() noexcept { return {read_buffer_.get(), read_buffer_size}; }
    static constexpr std::size_t read_buffer_size = 64 * 1024;

private:
    struct spawned;
    struct task_link {
        task_link* prev = nullptr;
        task_link* next = nullptr;
    };
    static spawned supervise(task<void> t);
    void forget(task_link& link) noexcept;
    template <typename T, typename Out>
    static task<void> finish_then_stop(event_loop& loop, task<T> t, Out& out, std::exception_ptr& error);

    void cancel_everything() noexcept;
    void run_ready();
    void run_pokes();
    void retry(io_state& state);
    void wait_for_events(int timeout_ms);
    void fire_expired_timers() noexcept;
    int next_timeout_ms() const;
    void watch(int fd, void* tag, std::uint32_t events);

    unique_fd epoll_;
    unique_fd wake_fd_;   // eventfd: stop() from another thread
    unique_fd signal_fd_; // signalfd: SIGINT/SIGTERM
    std::unique_ptr<std::byte[]> read_buffer_;

    io_state* sockets_ = nullptr; // every live io_state (intrusive list)
    std::vector<io_state*> retired_;
    std::vector<io_state*> pokes_;
    std::vector<std::coroutine_handle<>> ready_;
    std::vector<std::coroutine_handle<>> running_;
    timer_heap timers_;
    std::array<epoll_event, 256> events_{};

    task_link* tasks_ = nullptr; // every spawned frame that has not finished
    std::size_t live_tasks_ = 0;
    bool stopping_ = false;
    std::atomic<bool> stop_requested_{false};
};

template <typename T, typename Out>
task<void> event_loop::finish_then_stop(event_loop& loop, task<T> t, Out& out, std::exception_ptr& error) {
    // loop, out and error are references: safe only because block_on, which owns them, cannot return
    // before this coroutine has finished (run() waits for it).
    try {
        if constexpr (std::is_void_v<T>) {
            co_await t;
            out = true;
        } else {
            out.emplace(co_await t);
        }
    } catch (...) {
        error = std::current_exception(); // handed to block_on's caller, not swallowed
    }
    loop.stop();
}

template <typename T>
T event_loop::block_on(task<T> t) {
    std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> out{};
    std::exception_ptr error;
    spawn(finish_then_stop(*this, std::move(t), out, error));
    run();
    if (error) {
        std::rethrow_exception(error);
    }
    if (!out) { // a signal or stop() ended the loop before t finished
        throw std::system_error(std::make_error_code(std::errc::operation_canceled), "block_on");
    }
    if constexpr (!std::is_void_v<T>) {
        return std::move(*out);
    }
}

} // namespace coro
