#include "connection_cap.hpp"

namespace exercise {

std::optional<connection_slots::slot> connection_slots::try_acquire() {
    // TODO(exercise): hand out at most cap_ slots at once (count them in in_use_, under mutex_).
    return slot(this);
}

void connection_slots::release() {
    // TODO(exercise): give a slot back.
}

std::size_t connection_slots::in_use() const {
    std::lock_guard lock(mutex_);
    return in_use_;
}

void refuse_politely(file_descriptor client, std::string_view reason) {
    // TODO(exercise): tell the client why (reason + '\n') before the connection closes.
    (void)client;
    (void)reason;
}

} // namespace exercise
