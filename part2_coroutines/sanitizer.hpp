// sanitizer.hpp: CORO_TCP_ASAN is defined when AddressSanitizer is on. GCC announces it with a macro, Clang
// only through __has_feature, which GCC 12 does not have (so it cannot share one #if with the macro test).
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define CORO_TCP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_TCP_ASAN 1
#endif
#endif
