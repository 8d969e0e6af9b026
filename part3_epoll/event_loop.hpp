// event_loop.hpp: one epoll set, one thread, callbacks. A reactor: the loop waits for readiness and calls the
// handler registered for the descriptor. Handlers are found through epoll_event::data.ptr, so dispatching an
// event costs no lookup.
#pragma once

#include "fd.hpp"

#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <vector>

// snippet-begin: io_handler
// What the loop calls when a registered descriptor is ready. One entry point, not one per event kind: a
// handler often has to look at several bits together (EPOLLIN with EPOLLRDHUP means "the rest of the data,
// then end of stream"), and it may close itself halfway, after which nothing else of it may be touched.
class io_handler {
public:
    // events: the EPOLLIN / EPOLLOUT / EPOLLRDHUP / EPOLLHUP / EPOLLERR bits that are ready.
    virtual void on_events(std::uint32_t events) = 0;

protected:
    ~io_handler() = default; // never deleted through this interface
};
// snippet-end: io_handler

class event_loop;

// A one-shot timer living in the loop's min-heap. Owned by whoever needs it (a connection owns its idle
// timer); the destructor cancels it, so a destroyed owner can never be called back.
class timer {
public:
    explicit timer(std::function<void()> on_expiry) : on_expiry_(std::move(on_expiry)) {}
    timer(const timer&) = delete;
    timer& operator=(const timer&) = delete;
    ~timer();

    bool scheduled() const { return loop_ != nullptr; }

private:
    friend class event_loop;
    std::function<void()> on_expiry_;
    std::chrono::steady_clock::time_point deadline_{};
    std::size_t heap_index_ = 0;
    event_loop* loop_ = nullptr; // set while scheduled
};

class event_loop {
public:
    using clock = std::chrono::steady_clock;

    event_loop();
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;
    ~event_loop() = default;

    // snippet-begin: interest
    // Registers fd once; the handler must outlive the registration. events is EPOLLIN | EPOLLOUT | ...,
    // plus EPOLLET or EPOLLONESHOT if wanted: the trigger mode belongs to the registration (epoll_ctl),
    // not to the wait.
    void add(int fd, io_handler& handler, std::uint32_t events);
    void modify(int fd, io_handler& handler, std::uint32_t events);
    // Call before close(fd). epoll watches the open file description, not the number: if the descriptor
    // was dup()ed (or inherited by a child) and you only close it, the registration lives on and the loop
    // keeps delivering events to a handler that no longer exists.
    void remove(int fd, io_handler& handler);
    // snippet-end: interest

    // Delivers `events` to the handler on the next turn of the loop without waiting for the kernel. An
    // edge-triggered handler that stops reading early (its budget ran out) uses this, because the kernel
    // will not report the data that is still there.
    void call_soon(io_handler& handler, std::uint32_t events);

    void schedule(timer& t, clock::time_point deadline);
    void cancel(timer& t);
    // The time the loop last woke up: one clock read per turn instead of one per event.
    clock::time_point now() const { return now_; }

    // Blocks SIGINT and SIGTERM (or the given signals) in the calling thread and stops the loop when one
    // arrives, through a signalfd. Call it before starting other threads: they inherit the signal mask.
    void stop_on_signals(std::initializer_list<int> signals);

    void run();  // until stop()
    void stop(); // from any thread (and from a signal handler: it only writes to an eventfd)
    void wake(); // makes a blocked epoll_wait return, from any thread
    std::size_t turns() const { return turns_; }

private:
    struct wake_handler final : io_handler {
        event_loop* loop = nullptr;
        void on_events(std::uint32_t events) override;
    };
    struct signal_handler final : io_handler {
        event_loop* loop = nullptr;
        void on_events(std::uint32_t events) override;
    };
    struct pending_call {
        io_handler* handler;
        std::uint32_t events;
    };

    int timeout_ms() const;
    void run_expired_timers();
    void sift_up(std::size_t i);
    void sift_down(std::size_t i);
    void swap_heap(std::size_t a, std::size_t b);

    unique_fd epoll_;
    unique_fd wake_fd_;   // eventfd
    unique_fd signal_fd_; // signalfd, once stop_on_signals() was called
    wake_handler wake_handler_;
    signal_handler signal_handler_;
    std::vector<epoll_event> events_; // the batch epoll_wait filled (maxevents = its size)
    std::size_t batch_size_ = 0;      // how many of events_ are valid during dispatch
    std::vector<pending_call> soon_, soon_running_;
    std::vector<timer*> heap_; // min-heap on deadline_
    std::atomic<bool> stop_requested_{false};
    clock::time_point now_ = clock::now();
    std::size_t turns_ = 0;
};
