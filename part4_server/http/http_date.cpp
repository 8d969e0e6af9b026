// http_date.cpp: IMF-fixdate by hand. strftime would do, but its %a and %b follow the C locale, and a
// program that calls setlocale() would send "Dom, 06 nov" to its clients.
#include "http_date.hpp"

namespace http {

std::string_view date_cache::at(std::time_t t) {
    if (t != second_) {
        static constexpr char days[] = "SunMonTueWedThuFriSat";
        static constexpr char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        std::tm tm{};
        gmtime_r(&t, &tm);
        char* p = text_.data();
        auto put3 = [&](const char* s) {
            *p++ = s[0];
            *p++ = s[1];
            *p++ = s[2];
        };
        auto put2 = [&](int v) {
            *p++ = static_cast<char>('0' + v / 10);
            *p++ = static_cast<char>('0' + v % 10);
        };
        put3(days + 3 * tm.tm_wday);
        *p++ = ',';
        *p++ = ' ';
        put2(tm.tm_mday);
        *p++ = ' ';
        put3(months + 3 * tm.tm_mon);
        *p++ = ' ';
        const int year = (tm.tm_year + 1900) % 10000;
        put2(year / 100);
        put2(year % 100);
        *p++ = ' ';
        put2(tm.tm_hour);
        *p++ = ':';
        put2(tm.tm_min);
        *p++ = ':';
        put2(tm.tm_sec);
        put3(" GM");
        *p++ = 'T';
        second_ = t;
    }
    return {text_.data(), text_.size()};
}

} // namespace http
