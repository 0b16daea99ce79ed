#include <doctest/doctest.h>

#include "check/check_test_support.h"
#include "tools/bench_check/checker_bench.h"

namespace capsim {
namespace {

TEST_CASE("checker bench: a small run reports each case with its verdicts") {
  // The benchmark's plumbing, at a size that takes milliseconds: without a corpus it says so
  // and still times the generated history, which must be linearizable.
  CheckerBenchOptions options;
  options.corpus_dir = "";
  options.kv_operations = 2'000;
  options.repeats = 1;
  const CheckerBenchResult result = run_checker_bench(options);
  REQUIRE(result.cases.size() == 1);
  CHECK(result.cases[0].name == "generated kv");
  CHECK(result.cases[0].histories == 1);
  CHECK(result.cases[0].linearizable == 1);
  CHECK(result.cases[0].operations > 1'500);  // failed cas operations do not count
  CHECK(result.notes == std::vector<std::string>{"etcd corpus: skipped, no porcupine/etcd"});
  CHECK(format_checker_bench(result).find("generated kv") != std::string::npos);
}

TEST_SUITE("slow") {
  TEST_CASE("checker bench: the etcd corpus and a 100,000-operation kv history") {
    // The figures behind the speed targets (etcd under 0.2 s in all, the kv history under 2 s),
    // printed for a person to read; the verdicts are checked, the times are not.
    CheckerBenchOptions options;
    options.corpus_dir = testing::corpus_dir();
    const CheckerBenchResult result = run_checker_bench(options);
    MESSAGE("\n" << format_checker_bench(result));
    for (const CheckerBenchCase& c : result.cases) {
      CAPTURE(c.name);
      CHECK(c.unknown == 0);
      if (c.name == "generated kv") CHECK(c.linearizable == 1);
      if (c.name == "etcd corpus") CHECK(c.histories == 102);
    }
  }
}

}  // namespace
}  // namespace capsim
