// command_line.hpp: the command line every Part 4 server shares (--port, --host, --idle-timeout,
// --max-connections, --help), so a program only adds the flags that are its own. Bad input ends the
// program with one line on stderr and exit status 2, as the tutorial's server contract asks.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <string_view>

namespace coro {

struct server_arguments {
    std::string host = "127.0.0.1";
    unsigned long port = 0;
    double idle_seconds = 60;
    unsigned long max_connections = 10'000;
};

class command_line {
public:
    command_line(std::string_view program, const char* usage) : program_(program), usage_(usage) {}

    [[noreturn]] void fail(const std::string& message) const {
        std::fprintf(stderr, "%.*s: %s (try --help)\n", static_cast<int>(program_.size()), program_.data(),
                     message.c_str());
        std::exit(2);
    }

    template <typename Number>
    Number number(std::string_view flag, std::string_view text) const {
        Number value{};
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size()) {
            fail("bad value for " + std::string(flag) + ": '" + std::string(text) + "'");
        }
        return value;
    }

    // Every flag takes a value. The shared ones land in `args`; a flag named in `own_flags` goes to
    // `own(flag, value)`. A flag that is neither is reported as unknown before a missing value is.
    template <typename OwnFlag>
    void parse(int argc, char** argv, server_arguments& args,
               std::initializer_list<std::string_view> own_flags, OwnFlag own) const {
        constexpr std::string_view shared[] = {"--port", "--host", "--idle-timeout", "--max-connections"};
        for (int i = 1; i < argc; ++i) {
            const std::string_view flag = argv[i];
            if (flag == "--help") {
                std::fputs(usage_, stdout);
                std::exit(0);
            }
            const bool is_shared = std::find(std::begin(shared), std::end(shared), flag) != std::end(shared);
            if (!is_shared && std::find(own_flags.begin(), own_flags.end(), flag) == own_flags.end()) {
                fail("unknown option '" + std::string(flag) + "'");
            }
            if (i + 1 >= argc) {
                fail("missing value for " + std::string(flag));
            }
            const std::string_view value = argv[++i];
            if (!is_shared) {
                own(flag, value);
            } else if (flag == "--port") {
                args.port = number<unsigned long>(flag, value);
                if (args.port > 65535) {
                    fail("port out of range: " + std::string(value));
                }
            } else if (flag == "--host") {
                args.host = value;
            } else if (flag == "--idle-timeout") {
                args.idle_seconds = number<double>(flag, value);
                if (!(args.idle_seconds >= 0 && args.idle_seconds < 1e7)) {
                    fail("--idle-timeout must be between 0 and 10000000 seconds");
                }
            } else {
                args.max_connections = number<unsigned long>(flag, value);
                if (args.max_connections == 0) {
                    fail("--max-connections must be at least 1");
                }
            }
        }
    }

private:
    std::string_view program_;
    const char* usage_;
};

} // namespace coro
