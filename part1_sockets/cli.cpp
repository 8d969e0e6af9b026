#include "cli.hpp"

#include <charconv>
#include <string_view>

std::uint64_t parse_number(const std::string& option, const std::string& text, std::uint64_t min,
                           std::uint64_t max) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // from_chars, unlike atoi/stoul, rejects "", "12abc", "-1" and overflow instead of guessing.
    if (error != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
        throw usage_error(option + " wants a number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got '" + text + "'");
    }
    return value;
}

server_options parse_server_options(int argc, char** argv, bool with_max_connections) {
    server_options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string value;
        bool has_inline_value = false;
        if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg.resize(eq);
            has_inline_value = true;
        }
        auto take_value = [&]() -> std::string {
            if (has_inline_value) {
                return value;
            }
            if (i + 1 >= argc) {
                throw usage_error(arg + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--port") {
            options.port = static_cast<std::uint16_t>(parse_number(arg, take_value(), 0, 65535));
        } else if (arg == "--host") {
            options.host = take_value();
            if (options.host.empty()) {
                throw usage_error("--host needs a non-empty value");
            }
        } else if (arg == "--max-connections" && with_max_connections) {
            options.max_connections = parse_number(arg, take_value(), 1, 1'000'000);
        } else {
            throw usage_error("unknown argument '" + arg + "'");
        }
    }
    return options;
}
