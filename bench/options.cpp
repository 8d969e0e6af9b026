// options.cpp: parsing loadgen's command line, strictly: a typo is an error, not a default.
#include "options.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace {

constexpr const char* usage_text = R"(usage: loadgen --port N [options]
Sends messages to an echo server and checks every byte that comes back.
  --host H              server address (default 127.0.0.1)
  --port N              server port (required)
  --connections C       connections to open (default 1)
  --message-size S      bytes per message (default 64)
  --pipeline K          messages in flight per connection (default 1)
  --duration SECONDS    measure for this long (default 5)
  --messages N          measure exactly N messages over all connections instead
  --warmup SECONDS      load before measuring starts (default 1)
  --threads T           event loops, 1 or 2 are useful (default 1)
  --connect-batch B     connections opened at once while ramping up (default 128)
  --timeout SECONDS     give up after this long without progress (default 10)
  --json                print the result as one JSON object
  --idle                open the connections, print 'connected C', hold them until stdin closes or SIGTERM
Exit status: 0 when every byte matched and no connection failed, 1 otherwise, 2 for a bad command line.
)";

template <typename T>
T parse_number(std::string_view flag, std::string_view text, T min) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min) {
        throw usage_error(std::string(flag) + ": expected a number >= " + std::to_string(min) + ", got '" +
                          std::string(text) + "'");
    }
    return value;
}

} // namespace

std::optional<options> parse_options(int argc, char** argv) {
    options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            std::fputs(usage_text, stdout);
            return std::nullopt;
        }
        if (flag == "--json") {
            opt.json = true;
            continue;
        }
        if (flag == "--idle") {
            opt.idle = true;
            continue;
        }
        if (i + 1 >= argc) {
            throw usage_error(std::string(flag) + (flag.starts_with("--") ? ": missing value" : ": unknown"));
        }
        const std::string_view value = argv[++i];
        if (flag == "--host") {
            opt.host = value;
        } else if (flag == "--port") {
            const auto port = parse_number<unsigned>(flag, value, 1);
            if (port > 65535) {
                throw usage_error("--port: at most 65535");
            }
            opt.port = std::to_string(port);
        } else if (flag == "--connections") {
            opt.connections = parse_number<std::size_t>(flag, value, 1);
        } else if (flag == "--message-size") {
            opt.message_size = parse_number<std::size_t>(flag, value, 1);
        } else if (flag == "--pipeline") {
            opt.pipeline = parse_number<std::size_t>(flag, value, 1);
        } else if (flag == "--duration") {
            opt.duration = parse_number<double>(flag, value, 0.001);
        } else if (flag == "--messages") {
            opt.messages = parse_number<std::uint64_t>(flag, value, 1);
        } else if (flag == "--warmup") {
            opt.warmup = parse_number<double>(flag, value, 0.0);
        } else if (flag == "--threads") {
            opt.threads = parse_number<std::size_t>(flag, value, 1);
        } else if (flag == "--connect-batch") {
            opt.connect_batch = parse_number<std::size_t>(flag, value, 1);
        } else if (flag == "--timeout") {
            opt.timeout = parse_number<double>(flag, value, 0.001);
        } else {
            throw usage_error(std::string(flag) + ": unknown option (try --help)");
        }
    }
    if (opt.port.empty()) {
        throw usage_error("--port is required (try --help)");
    }
    return opt;
}
