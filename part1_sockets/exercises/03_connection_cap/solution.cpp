#include "connection_cap.hpp"

#include <sys/socket.h>

#include <string>

namespace exercise {

std::optional<connection_slots::slot> connection_slots::try_acquire() {
    std::lock_guard lock(mutex_);
    if (in_use_ >= cap_) {
        return std::nullopt;
    }
    ++in_use_;
    return slot(this);
}

void connection_slots::release() {
    std::lock_guard lock(mutex_);
    --in_use_;
}

std::size_t connection_slots::in_use() const {
    std::lock_guard lock(mutex_);
    return in_use_;
}

void refuse_politely(file_descriptor client, std::string_view reason) {
    std::string line = std::string(reason) + "\n";
    // MSG_DONTWAIT: a refused client must not be able to stall the acceptor by not reading. A failure means
    // the client is already gone, which is fine for a refusal.
    [[maybe_unused]] auto sent = ::send(client.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
} // `client` closes here: the client reads the line, then end of stream

} // namespace exercise
