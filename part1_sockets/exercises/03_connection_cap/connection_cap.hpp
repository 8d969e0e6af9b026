// connection_cap.hpp (exercise 3): the interface the test calls. Implement it in starter.cpp.
#pragma once

#include "file_descriptor.hpp"

#include <cstddef>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

namespace exercise {

class connection_slots {
public:
    // Proof of a held slot; gives it back when destroyed.
    class slot {
    public:
        slot(slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
        slot& operator=(slot&&) = delete;
        ~slot() {
            if (owner_ != nullptr) {
                owner_->release();
            }
        }

    private:
        friend class connection_slots;
        explicit slot(connection_slots* owner) : owner_(owner) {}
        connection_slots* owner_;
    };

    explicit connection_slots(std::size_t cap) : cap_(cap) {}

    std::optional<slot> try_acquire(); // a slot if fewer than cap are held; thread safe
    std::size_t in_use() const;

private:
    void release();

    std::size_t cap_;
    mutable std::mutex mutex_;
    std::size_t in_use_ = 0; // guarded by mutex_
};

// Sends reason + '\n' without blocking and without SIGPIPE, then closes the connection.
void refuse_politely(file_descriptor client, std::string_view reason);

} // namespace exercise
