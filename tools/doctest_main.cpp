// The one doctest main() of the project, built once as a static library and linked into every test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
