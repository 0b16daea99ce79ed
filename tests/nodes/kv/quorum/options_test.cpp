// The quorum options: defaults, and clear errors for impossible combinations.
#include <doctest/doctest.h>

#include "quorum_test_util.h"
#include "sim/scenario_loader.h"

using namespace capsim;
using namespace capsim::quorum;
using namespace capsim::quorum::test;
using namespace std::chrono_literals;

namespace {
std::string errors_for(const Overrides& overrides, std::uint32_t nodes) {
  Diagnostics diagnostics("s.yaml");
  validate_options(options_with(overrides), nodes, diagnostics);
  return diagnostics.format();
}
}  // namespace

TEST_CASE("quorum options: the defaults are n=3 r=2 w=2, strict, lww, every extra off") {
  const Config config = config_for(5);
  CHECK(config.n == 3);
  CHECK(config.r == 2);
  CHECK(config.w == 2);
  CHECK_FALSE(config.sloppy);
  CHECK_FALSE(config.read_repair);
  CHECK_FALSE(config.read_writeback);
  CHECK(config.anti_entropy == 0s);
  CHECK(config.conflict == ConflictMode::kLww);
  CHECK(errors_for({}, 3).empty());
  CHECK(config_for(3, {{"conflict", "siblings"}}).conflict == ConflictMode::kSiblings);
}

TEST_CASE("quorum options: n beyond the cluster, r or w beyond n, and bad timeouts are errors") {
  CHECK(errors_for({{"n", "5"}}, 3) ==
        "s.yaml: error: n is 5 but the cluster has only 3 nodes (expected 1..3)\n");
  CHECK(errors_for({{"r", "4"}}, 5) ==
        "s.yaml: error: r is 4 but n is 3 (expected 1..n: a quorum cannot exceed the replicas)\n");
  CHECK(errors_for({{"w", "4"}}, 5) ==
        "s.yaml: error: w is 4 but n is 3 (expected 1..n: a quorum cannot exceed the replicas)\n");
  CHECK(errors_for({{"replica_timeout", "300ms"}}, 3) ==
        "s.yaml: error: replica_timeout must be shorter than request_timeout (300ms)\n");
  CHECK(errors_for({{"hint_interval", "0s"}}, 3) ==
        "s.yaml: error: hint_interval must be longer than 0ms\n");
  CHECK(errors_for({{"n", "5"}, {"r", "5"}, {"w", "5"}}, 5).empty());
}

TEST_CASE("quorum options: a scenario with w > n fails to load, naming the line and column") {
  ProtocolRegistry registry;
  registry.add(protocol_info());
  const std::string text =
      "name: bad\n"
      "description: w larger than n\n"
      "duration: 1s\n"
      "cluster:\n"
      "  nodes: 3\n"
      "  protocol: quorum\n"
      "  options: {n: 2, w: 3}\n";
  const LoadResult loaded = load_scenario_text(text, "bad.yaml", registry);
  CHECK_FALSE(loaded.scenario.has_value());
  CHECK(loaded.diagnostics.format() ==
        "bad.yaml:7:22: error: w is 3 but n is 2 (expected 1..n: a quorum cannot exceed the "
        "replicas)\n");
}
