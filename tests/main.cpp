// The test runner. Seed sweeps and other long tests live in TEST_SUITE("slow"); they are
// excluded unless the command line names a test suite itself (tools/test runs them in CI with
// --test-suite=slow).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstring>

int main(int argc, char** argv) {
  doctest::Context context;
  bool names_suite = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--test-suite=", 13) == 0 || std::strncmp(argv[i], "-ts=", 4) == 0) {
      names_suite = true;
    }
  }
  if (!names_suite) context.addFilter("test-suite-exclude", "slow");
  context.applyCommandLine(argc, argv);
  return context.run();
}
