// counted.hpp: a test helper that counts live instances, to prove a coroutine frame destroyed its locals.
#pragma once

struct counted {
    static inline int alive = 0;
    counted() noexcept { ++alive; }
    counted(const counted&) noexcept { ++alive; }
    counted& operator=(const counted&) = default;
    ~counted() { --alive; }
};
