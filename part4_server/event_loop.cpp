// event_loop.cpp: the loop itself: run(), dispatch, timers, spawn, shutdown.
#include "event_loop.hpp"

#include <sys/eventfd.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace coro {

namespace {

thread_local event_loop* current_loop = nullptr;

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Tags for the loop's own fds in epoll_event::data.ptr (their addresses are all that matters).
char wake_tag;
char signal_tag;

} // namespace

// The frame that owns a spawned task: it awaits the task, logs what escapes it, unlinks itself from the
// loop and frees itself. The loop can therefore count, cancel and (in ~event_loop) destroy every one.
struct event_loop::spawned {
    struct promise_type : detail::counted_frame, task_link {
        event_loop* loop = nullptr;

        spawned get_return_object() noexcept {
            return {std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() const noexcept { return false; }
            void await_suspend(std::coroutine_handle<promise_type> self) noexcept {
                self.promise().loop->forget(self.promise());
                self.destroy();
            }
            void await_resume() const noexcept {}
        };
        final_awaiter final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); } // supervise() catches everything
    };
    std::coroutine_handle<promise_type> handle;
};

// snippet-begin: supervise
event_loop::spawned event_loop::supervise(task<void> t) {
    try {
        co_await t;
    } catch (const std::system_error& e) {
        if (e.code() != std::errc::operation_canceled) {
            std::fprintf(stderr, "task ended with an error: %s\n", e.what());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "task ended with an exception: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "task ended with an exception of unknown type\n");
    }
}
// snippet-end: supervise

event_loop::event_loop()
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)), wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      read_buffer_(std::make_unique<std::byte[]>(read_buffer_size)) {
    if (!epoll_) {
        throw_errno("epoll_create1");
    }
    if (!wake_fd_) {
        throw_errno("eventfd");
    }
    watch(wake_fd_.get(), &wake_tag, EPOLLIN | EPOLLET);
}

event_loop::~event_loop() {
    // Tasks that never finished (run() was not called again after they were spawned): destroying the root
    // frame destroys the task it awaits, and so on down the chain, closing every socket on the way.
    while (tasks_ != nullptr) {
        auto& promise = static_cast<spawned::promise_type&>(*tasks_);
        forget(promise);
        std::coroutine_handle<spawned::promise_type>::from_promise(promise).destroy();
    }
    for (io_state* state : retired_) {
        delete state;
    }
}

event_loop& event_loop::current() {
    if (current_loop == nullptr) {
        throw std::logic_error("event_loop::current(): no event loop is running on this thread");
    }
    return *current_loop;
}

void event_loop::watch(int fd, void* tag, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = tag;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) {
        throw_errno("epoll_ctl");
    }
}

io_state& event_loop::add(int fd) {
    auto state = std::make_unique<io_state>();
    state->loop = this;
    state->fd = fd;
    if (fd >= 0) {
        // Once, for the socket's whole life: in and out, edge-triggered. Waiting for one direction never
        // needs an epoll_ctl; an edge for a direction nobody waits for just sets the flag.
        watch(fd, state.get(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
    } else {
        state->readable = false; // a notifier starts "not signalled"
    }
    state->next = sockets_;
    if (sockets_ != nullptr) {
        sockets_->prev = state.get();
    }
    sockets_ = state.get();
    return *state.release();
}

void event_loop::close_state(io_state& state) noexcept {
    if (state.reader != nullptr) {
        cancel(*state.reader, std::errc::operation_canceled);
    }
    if (state.writer != nullptr) {
        cancel(*state.writer, std::errc::operation_canceled);
    }
    if (state.fd >= 0) {
        // Remove before close: epoll watches the open file description, which outlives this fd if the
        // process ever duplicated it (fork, dup), and then events would keep arriving for freed memory.
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, state.fd, nullptr);
        ::close(state.fd);
        state.fd = -1;
    }
    (state.prev != nullptr ? state.prev->next : sockets_) = state.next;
    if (state.next != nullptr) {
        state.next->prev = state.prev;
    }
    // Not deleted yet: the epoll batch being handled may still hold an event pointing at this state.
    state.retired = true;
    retired_.push_back(&state);
}

void event_loop::unpark(io_op& op) noexcept {
    *op.slot = nullptr;
    op.slot = nullptr;
    if (op.queued()) {
        timers_.remove(op);
    }
}

void event_loop::cancel(io_op& op, std::errc why) noexcept {
    if (op.slot == nullptr) {
        return; // already finished or already cancelled
    }
    unpark(op);
    op.cancelled = why;
    post(op.waiter);
}

void event_loop::spawn(task<void> t) {
    auto handle = supervise(std::move(t)).handle;
    auto& promise = handle.promise();
    promise.loop = this;
    promise.next = tasks_;
    if (tasks_ != nullptr) {
        tasks_->prev = &promise;
    }
    tasks_ = &promise;
    ++live_tasks_;
    post(handle);
}

void event_loop::forget(task_link& link) noexcept {
    (link.prev != nullptr ? link.prev->next : tasks_) = link.next;
    if (link.next != nullptr) {
        link.next->prev = link.prev;
    }
    --live_tasks_;
}

void event_loop::stop() noexcept {
    stop_requested_.store(true, std::memory_order_relaxed);
    std::uint64_t one = 1;
    // Can only fail if the counter would overflow, and then the loop is awake anyway.
    [[maybe_unused]] auto written = ::write(wake_fd_.get(), &one, sizeof one);
}

void event_loop::stop_on_signals(std::initializer_list<int> signals) {
    sigset_t set;
    sigemptyset(&set);
    for (int signal : signals) {
        sigaddset(&set, signal);
    }
    // Blocked signals stay pending for the signalfd instead of running a handler (or killing us).
    if (int rc = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0) {
        throw std::system_error(rc, std::generic_category(), "pthread_sigmask");
    }
    signal_fd_ = unique_fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signal_fd_) {
        throw_errno("signalfd");
    }
    watch(signal_fd_.get(), &signal_tag, EPOLLIN | EPOLLET);
}

// snippet-begin: shutdown
// Shutdown: every coroutine that waits for something is resumed with operation_canceled, so it unwinds
// through its own destructors (closing its socket); every later operation fails the same way at once.
void event_loop::cancel_everything() noexcept {
    stopping_ = true;
    for (io_state* state = sockets_; state != nullptr; state = state->next) {
        if (state->reader != nullptr) {
            cancel(*state->reader, std::errc::operation_canceled);
        }
        if (state->writer != nullptr) {
            cancel(*state->writer, std::errc::operation_canceled);
        }
    }
    while (!timers_.empty()) {
        timer_node& node = timers_.top();
        timers_.remove(node);
        node.fire(node, std::errc::operation_canceled);
    }
}
// snippet-end: shutdown

void event_loop::run() {
    event_loop* outer = std::exchange(current_loop, this);
    try {
        while (live_tasks_ > 0) {
            if (stop_requested_.load(std::memory_order_relaxed) && !stopping_) {
                cancel_everything();
            }
            run_ready();
            run_pokes();
            if (live_tasks_ == 0) {
                break;
            }
            wait_for_events(ready_.empty() && pokes_.empty() ? next_timeout_ms() : 0);
            fire_expired_timers();
        }
    } catch (...) {
        current_loop = outer;
        throw;
    }
    current_loop = outer;
    stopping_ = false;
    stop_requested_.store(false, std::memory_order_relaxed);
}

void event_loop::run_ready() {
    // Swap first: coroutines resumed here may post more work, which waits for the next turn.
    running_.swap(ready_);
    for (auto handle : running_) {
        handle.resume();
    }
    running_.clear();
}

int event_loop::next_timeout_ms() const {
    if (stop_requested_.load(std::memory_order_relaxed) && !stopping_) {
        return 0;
    }
    if (timers_.empty()) {
        return -1;
    }
    auto left = timers_.top().deadline - clock::now();
    if (left <= clock::duration::zero()) {
        return 0;
    }
    // Round up: waking a little before the deadline would only spin through another epoll_wait.
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return ms > 3'600'000 ? 3'600'000 : static_cast<int>(ms);
}

void event_loop::wait_for_events(int timeout_ms) {
    // Freed only now: events of the previous batch and pokes could still point at a state closed since.
    for (io_state* state : retired_) {
        delete state;
    }
    retired_.clear();
    int n = ::epoll_wait(epoll_.get(), events_.data(), static_cast<int>(events_.size()), timeout_ms);
    if (n < 0) {
        if (errno == EINTR) {
            return;
        }
        throw_errno("epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
        void* tag = events_[i].data.ptr;
        std::uint32_t events = events_[i].events;
        if (tag == &wake_tag || tag == &signal_tag) {
            // Drain the fd (edge-triggered: an undrained fd would never report again). Either means stop.
            int fd = tag == &wake_tag ? wake_fd_.get() : signal_fd_.get();
            signalfd_siginfo info;
            while (::read(fd, &info, sizeof info) > 0) {
            }
            stop_requested_.store(true, std::memory_order_relaxed);
            continue;
        }
        // snippet-begin: dispatch
        auto* state = static_cast<io_state*>(tag);
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            state->peer_closed = true;
        }
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            state->readable = true;
        }
        if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
            state->writable = true;
        }
        retry(*state);
        // snippet-end: dispatch
    }
}

// snippet-begin: retry
void event_loop::retry(io_state& state) {
    if (io_op* op = state.reader; op != nullptr && state.readable && op->attempt(*op)) {
        unpark(*op);
        op->waiter.resume();
    }
    // The reader may have closed the socket: `retired` is still readable, the memory is not freed yet.
    if (io_op* op = state.writer; op != nullptr && !state.retired && state.writable && op->attempt(*op)) {
        unpark(*op);
        op->waiter.resume();
    }
}
// snippet-end: retry

void event_loop::run_pokes() {
    std::vector<io_state*> pokes;
    pokes.swap(pokes_);
    for (io_state* state : pokes) {
        if (!state->retired) {
            retry(*state);
        }
    }
    pokes.clear();
    if (pokes_.empty()) {
        pokes_.swap(pokes); // keep the capacity
    }
}

void event_loop::fire_expired_timers() noexcept {
    if (timers_.empty()) {
        return;
    }
    auto now = clock::now();
    while (!timers_.empty() && timers_.top().deadline <= now) {
        timer_node& node = timers_.top();
        timers_.remove(node);
        node.fire(node, std::errc::timed_out); // fire() only posts: nothing runs inside this loop
    }
}

} // namespace coro
