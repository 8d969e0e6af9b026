// http_parser.cpp: the request grammar of RFC 9112, strictly: anything it does not understand is a 400,
// because a server and a proxy in front of it that read one message differently is how request smuggling
// starts.
#include "http_parser.hpp"

#include <cstring>

namespace http {
namespace {

bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

// tchar from RFC 9110: the characters allowed in a method and a header name.
bool is_tchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c)) {
        return true;
    }
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// A header value may hold visible characters, spaces, tabs and (obsolete, but legal) bytes >= 0x80; no other
// control characters, and in particular no lone CR.
bool is_value_char(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_ows(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Header names and Connection tokens are case-insensitive (ASCII only: they are tokens).
bool equals_ignore_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string_view request::path() const {
    return target.substr(0, target.find('?'));
}

std::optional<std::string_view> request::header(std::string_view name) const {
    std::string_view rest = head.substr(head.find("\r\n") + 2); // skip the request line
    while (!rest.empty()) {
        const auto end = rest.find("\r\n");
        const auto line = rest.substr(0, end);
        rest.remove_prefix(end + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            break; // the empty line that ends the head
        }
        if (equals_ignore_case(line.substr(0, colon), name)) {
            return trim(line.substr(colon + 1));
        }
    }
    return std::nullopt;
}

// snippet-begin: parse
parse_result request_parser::parse(std::string_view input) {
    if (stage_ == stage::failed) {
        return fail(error_status_);
    }
    while (stage_ != stage::body) {
        const void* newline = std::memchr(input.data() + scanned_, '\n', input.size() - scanned_);
        if (newline == nullptr) {
            // Empty lines before the request line count too: otherwise "\r\n" forever would grow the buffer.
            if (input.size() > limits_.max_head) {
                return fail(431);
            }
            scanned_ = input.size();
            return {};
        }
        const auto end = static_cast<std::size_t>(static_cast<const char*>(newline) - input.data());
        if (end + 1 > limits_.max_head) {
            return fail(431);
        }
        if (end == line_start_ || input[end - 1] != '\r') {
            return fail(400); // a bare LF: we accept CRLF only, as the RFC asks senders to write
        }
        const auto line = input.substr(line_start_, end - 1 - line_start_);
        line_start_ = scanned_ = end + 1;
        if (stage_ == stage::request_line) {
            if (line.empty()) {
                request_start_ = line_start_; // RFC 9112 2.2: ignore empty lines before a request
            } else if (const int status = parse_request_line(line)) {
                return fail(status);
            } else {
                stage_ = stage::headers;
            }
        } else if (!line.empty()) {
            if (const int status = parse_header_line(line)) {
                return fail(status);
            }
        } else if (minor_version_ == 1 && host_count_ == 0) {
            return fail(400); // HTTP/1.1 makes Host mandatory
        } else {
            head_end_ = line_start_;
            stage_ = stage::body;
        }
    }
    return finish(input);
}
// snippet-end: parse

int request_parser::parse_request_line(std::string_view line) {
    // method SP request-target SP HTTP-version, exactly one space between the three.
    std::size_t i = 0;
    while (i < line.size() && is_tchar(static_cast<unsigned char>(line[i]))) {
        ++i;
    }
    if (i == 0 || i == line.size() || line[i] != ' ') {
        return 400;
    }
    method_length_ = i;
    const std::size_t target_start = i + 1;
    std::size_t j = target_start;
    while (j < line.size() && static_cast<unsigned char>(line[j]) > 0x20 &&
           static_cast<unsigned char>(line[j]) < 0x7f) {
        ++j;
    }
    if (j == target_start || j == line.size() || line[j] != ' ') {
        return 400;
    }
    target_length_ = j - target_start;
    const auto version = line.substr(j + 1);
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" ||
        !is_digit(static_cast<unsigned char>(version[5])) || version[6] != '.' ||
        !is_digit(static_cast<unsigned char>(version[7]))) {
        return 400;
    }
    if (version[5] != '1') {
        return 505; // well-formed, but not a version this server speaks
    }
    // HTTP/1.2 and up would still be HTTP/1.x: answer them as 1.1, as RFC 9110 2.5 allows.
    minor_version_ = version[7] == '0' ? 0 : 1;
    return 0;
}

int request_parser::parse_header_line(std::string_view line) {
    // field-name ":" OWS field-value OWS. No space before the colon, and no obsolete line folding.
    std::size_t i = 0;
    while (i < line.size() && is_tchar(static_cast<unsigned char>(line[i]))) {
        ++i;
    }
    if (i == 0 || i == line.size() || line[i] != ':') {
        return 400;
    }
    const auto name = line.substr(0, i);
    const auto value = trim(line.substr(i + 1));
    for (const char c : value) {
        if (!is_value_char(static_cast<unsigned char>(c))) {
            return 400;
        }
    }
    if (equals_ignore_case(name, "content-length")) {
        // Two Content-Length headers are a classic smuggling vector: refuse instead of guessing which one
        // counts.
        if (has_content_length_ || value.empty()) {
            return 400;
        }
        has_content_length_ = true;
        std::size_t length = 0;
        for (const char c : value) {
            if (!is_digit(static_cast<unsigned char>(c))) {
                return 400;
            }
            // Stop accumulating once over the limit, so a 40-digit number cannot overflow.
            if (length <= limits_.max_body) {
                length = length * 10 + static_cast<std::size_t>(c - '0');
            }
        }
        if (length > limits_.max_body) {
            return 413;
        }
        content_length_ = length;
    } else if (equals_ignore_case(name, "transfer-encoding")) {
        return 501; // chunked bodies are not implemented, and we must not guess where this body ends
    } else if (equals_ignore_case(name, "connection")) {
        std::string_view tokens = value;
        while (!tokens.empty()) {
            const auto comma = tokens.find(',');
            const auto token = trim(tokens.substr(0, comma));
            connection_close_ = connection_close_ || equals_ignore_case(token, "close");
            connection_keep_alive_ = connection_keep_alive_ || equals_ignore_case(token, "keep-alive");
            tokens = comma == std::string_view::npos ? std::string_view{} : tokens.substr(comma + 1);
        }
    } else if (equals_ignore_case(name, "host")) {
        if (++host_count_ > 1) {
            return 400;
        }
    }
    return 0;
}

parse_result request_parser::finish(std::string_view input) {
    if (input.size() - head_end_ < content_length_) {
        return {}; // the body has not all arrived yet
    }
    parse_result result;
    result.status = parse_status::complete;
    result.consumed = head_end_ + content_length_;
    auto& r = result.request;
    r.method = input.substr(request_start_, method_length_);
    r.target = input.substr(request_start_ + method_length_ + 1, target_length_);
    r.minor_version = minor_version_;
    // snippet-begin: keep_alive
    // HTTP/1.1 keeps the connection open unless told otherwise; HTTP/1.0 closes unless asked to keep it.
    r.keep_alive = !connection_close_ && (minor_version_ == 1 || connection_keep_alive_);
    // snippet-end: keep_alive
    r.head = input.substr(request_start_, head_end_ - request_start_);
    r.body = input.substr(head_end_, content_length_);
    reset();
    return result;
}

parse_result request_parser::fail(int status) {
    stage_ = stage::failed;
    error_status_ = status;
    return {parse_status::error, 0, status, {}};
}

void request_parser::reset() {
    *this = request_parser(limits_);
}

} // namespace http
