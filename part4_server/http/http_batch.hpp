// http_batch.hpp: from the bytes one read brought in to the bytes of every answer they call for. This is the
// whole protocol side of a connection, without the socket, so it can be tested without one.
#pragma once

#include "http_parser.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace http {

struct batch_result {
    std::size_t consumed = 0; // bytes of input answered: drop them, keep the rest for the next read
    std::size_t answered = 0; // responses appended
    bool close = false;       // the last response said "Connection: close": write `out`, then close
};

// Parses every complete request at the front of `input` and appends its response to `out`, in order. Stops at
// an incomplete request (need more bytes), after a response that closes the connection, or after an error
// (whose response it appends). One call per read: the responses to a pipelined burst leave in one write.
batch_result answer_batch(request_parser& parser, std::string_view input, std::string& out,
                          std::string_view date);

} // namespace http
