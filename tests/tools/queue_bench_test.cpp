// The queue part of `capsim bench` runs the scenario it promises: three brokers, four
// producers at 2,000 messages a second in all, four consumers, 60 seconds of publishing.
#include <doctest/doctest.h>

#include "support/scenario_run.h"
#include "tools/bench/queue_bench.h"

using namespace capsim;
using namespace std::chrono_literals;

TEST_CASE("capsim bench: the queue part's scenario loads and has the promised shape") {
  const LoadResult loaded =
      load_scenario_text(tools::queue_bench_scenario(1), "(bench)", testing::all_protocols());
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario.has_value());
  const Scenario& s = *loaded.scenario;
  CHECK(s.cluster.nodes == 3);
  CHECK(s.cluster.protocol == "broker");
  CHECK(s.workload.queue.producers == 4);
  CHECK(s.workload.queue.consumers == 4);
  CHECK(s.workload.rate_milli_per_second == 2'000'000);
  CHECK(s.duration - s.workload.quiet == 60s);
}
