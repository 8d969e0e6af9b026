// event_loop.cpp: the reactor. See event_loop.hpp for the contract.
#include "event_loop.hpp"

#include <sys/eventfd.h>
#include <sys/signalfd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <system_error>

namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// A batch of up to 256 ready descriptors per epoll_wait: with thousands of busy connections, one system call
// hands us many of them; with few, it costs nothing.
constexpr std::size_t max_events = 256;

} // namespace

timer::~timer() {
    if (loop_ != nullptr) {
        loop_->cancel(*this);
    }
}

event_loop::event_loop() : events_(max_events) {
    epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_) {
        throw_errno("epoll_create1");
    }
    wake_fd_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!wake_fd_) {
        throw_errno("eventfd");
    }
    wake_handler_.loop = this;
    add(wake_fd_.get(), wake_handler_, EPOLLIN);
}

// snippet-begin: ctl
void event_loop::add(int fd, io_handler& handler, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = &handler; // the kernel hands this pointer back with every event for fd
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
        throw_errno("epoll_ctl(ADD)");
    }
}

void event_loop::modify(int fd, io_handler& handler, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = &handler;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
        throw_errno("epoll_ctl(MOD)");
    }
}

void event_loop::remove(int fd, io_handler& handler) {
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr) != 0) {
        throw_errno("epoll_ctl(DEL)");
    }
    // The current batch may still hold an event for this handler (another handler closed it): forget it,
    // or we would call into a destroyed object. The batch is at most max_events long.
    for (std::size_t i = 0; i < batch_size_; ++i) {
        if (events_[i].data.ptr == &handler) {
            events_[i].data.ptr = nullptr;
        }
    }
    for (auto* calls : {&soon_, &soon_running_}) {
        for (auto& call : *calls) {
            if (call.handler == &handler) {
                call.handler = nullptr;
            }
        }
    }
}
// snippet-end: ctl

void event_loop::call_soon(io_handler& handler, std::uint32_t events) {
    soon_.push_back({&handler, events});
}

// snippet-begin: run
void event_loop::run() {
    while (!stop_requested_.load(std::memory_order_relaxed)) {
        // Work left over from the last turn (an edge-triggered handler out of budget): poll, don't sleep.
        const int timeout = soon_.empty() ? timeout_ms() : 0;
        const int n = ::epoll_wait(epoll_.get(), events_.data(), static_cast<int>(events_.size()), timeout);
        if (n < 0) {
            if (errno == EINTR) { // a signal we do not handle through the signalfd (a debugger, SIGSTOP)
                continue;
            }
            throw_errno("epoll_wait");
        }
        now_ = clock::now();
        ++turns_;
        batch_size_ = static_cast<std::size_t>(n);
        for (std::size_t i = 0; i < batch_size_; ++i) {
            if (auto* handler = static_cast<io_handler*>(events_[i].data.ptr)) {
                handler->on_events(events_[i].events);
            }
        }
        batch_size_ = 0;
        soon_running_.swap(soon_); // calls made during this dispatch wait for the next turn
        for (const auto& call : soon_running_) {
            if (call.handler != nullptr) {
                call.handler->on_events(call.events);
            }
        }
        soon_running_.clear();
        run_expired_timers();
    }
    stop_requested_.store(false); // a later run() starts afresh; a stop() before run() is not lost
}
// snippet-end: run

void event_loop::stop() {
    stop_requested_.store(true);
    wake();
}

void event_loop::wake() {
    const std::uint64_t one = 1;
    // write() is async-signal-safe. EAGAIN means the counter is already non-zero: the loop will wake anyway.
    [[maybe_unused]] const auto written = ::write(wake_fd_.get(), &one, sizeof one);
}

void event_loop::wake_handler::on_events(std::uint32_t) {
    std::uint64_t count = 0;
    // Reset the counter, or level-triggered epoll would report the eventfd again on every turn.
    [[maybe_unused]] const auto got = ::read(loop->wake_fd_.get(), &count, sizeof count);
}

void event_loop::stop_on_signals(std::initializer_list<int> signals) {
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : signals) {
        sigaddset(&mask, s);
    }
    // Blocked signals are not delivered to a handler; they wait in the signalfd, where the loop reads them
    // like any other input, at a point where the program is in a known state.
    if (int err = pthread_sigmask(SIG_BLOCK, &mask, nullptr); err != 0) {
        throw std::system_error(err, std::generic_category(), "pthread_sigmask");
    }
    signal_fd_.reset(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signal_fd_) {
        throw_errno("signalfd");
    }
    signal_handler_.loop = this;
    add(signal_fd_.get(), signal_handler_, EPOLLIN);
}

void event_loop::signal_handler::on_events(std::uint32_t) {
    signalfd_siginfo info{};
    while (::read(loop->signal_fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        loop->stop_requested_.store(true);
    }
}

// --- timers: a min-heap on the deadline; the earliest deadline becomes epoll_wait's timeout ---------------

// snippet-begin: timeout
int event_loop::timeout_ms() const {
    if (heap_.empty()) {
        return -1; // nothing to time: sleep until a descriptor is ready
    }
    const auto left = heap_.front()->deadline_ - clock::now();
    if (left <= clock::duration::zero()) {
        return 0;
    }
    // Round up: rounding down would wake the loop just before the deadline, find nothing expired, and spin
    // with a zero timeout until the last microsecond has passed.
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}
// snippet-end: timeout

void event_loop::schedule(timer& t, clock::time_point deadline) {
    if (t.loop_ != nullptr) {
        cancel(t);
    }
    t.deadline_ = deadline;
    t.loop_ = this;
    t.heap_index_ = heap_.size();
    heap_.push_back(&t);
    sift_up(t.heap_index_);
}

void event_loop::cancel(timer& t) {
    if (t.loop_ != this) {
        return;
    }
    const std::size_t i = t.heap_index_;
    const std::size_t last = heap_.size() - 1;
    if (i != last) {
        swap_heap(i, last);
    }
    heap_.pop_back();
    t.loop_ = nullptr;
    if (i < heap_.size()) {
        sift_down(i);
        sift_up(i);
    }
}

void event_loop::run_expired_timers() {
    const auto now = clock::now();
    // Bounded: each timer popped here was scheduled before this call began, or is rescheduled to a later
    // deadline by its callback; a callback that reschedules itself at `now` runs again on the next turn.
    std::size_t budget = heap_.size();
    while (!heap_.empty() && heap_.front()->deadline_ <= now && budget-- > 0) {
        timer& t = *heap_.front();
        cancel(t);
        t.on_expiry_(); // may destroy t's owner, or reschedule t
    }
}

void event_loop::swap_heap(std::size_t a, std::size_t b) {
    std::swap(heap_[a], heap_[b]);
    heap_[a]->heap_index_ = a;
    heap_[b]->heap_index_ = b;
}

void event_loop::sift_up(std::size_t i) {
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (heap_[parent]->deadline_ <= heap_[i]->deadline_) {
            break;
        }
        swap_heap(i, parent);
        i = parent;
    }
}

void event_loop::sift_down(std::size_t i) {
    for (;;) {
        const std::size_t left = 2 * i + 1;
        const std::size_t right = left + 1;
        std::size_t smallest = i;
        if (left < heap_.size() && heap_[left]->deadline_ < heap_[smallest]->deadline_) {
            smallest = left;
        }
        if (right < heap_.size() && heap_[right]->deadline_ < heap_[smallest]->deadline_) {
            smallest = right;
        }
        if (smallest == i) {
            return;
        }
        swap_heap(i, smallest);
        i = smallest;
    }
}
