#include "http_batch.hpp"

#include "http_response.hpp"
#include "http_routes.hpp"

namespace http {

// snippet-begin: answer_batch
batch_result answer_batch(request_parser& parser, std::string_view input, std::string& out,
                          std::string_view date) {
    batch_result result;
    for (;;) {
        const parse_result parsed = parser.parse(input.substr(result.consumed));
        if (parsed.status == parse_status::need_more) {
            return result;
        }
        ++result.answered;
        if (parsed.status == parse_status::error) {
            // We cannot tell where the bad request ends, so nothing after it can be trusted: answer and
            // close.
            append_response(out, error_response(parsed.error_status), date);
            result.close = true;
            return result;
        }
        const request& req = parsed.request;
        response r = route(req);
        r.head_only = req.method == "HEAD";
        r.keep_alive = r.keep_alive && req.keep_alive;
        r.http10 = req.minor_version == 0;
        append_response(out, r, date); // copies the views, so the input may be dropped after this
        result.consumed += parsed.consumed;
        if (!r.keep_alive) {
            result.close = true; // requests pipelined behind a "Connection: close" are not answered
            return result;
        }
    }
}
// snippet-end: answer_batch

} // namespace http
