// The broker replicated by Raft (a quorum queue) in whole runs: the shipped partition scenario
// shows what its description says, and a seed sweep under a random nemesis of partitions and
// broker crashes loses no confirmed message and delivers no phantom.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/check/availability.h"
#include "sim/check/convergence.h"
#include "sim/check/delivery.h"
#include "sim/simulation.h"
#include "support/queue_nemesis_sweep.h"
#include "support/scenario_run.h"

using namespace capsim;

namespace {

RunResult run(const Scenario& scenario) {
  Simulation simulation(scenario, testing::all_protocols(), nullptr);
  return simulation.run();
}

}  // namespace

TEST_CASE("broker raft: the partitioned quorum queue loses nothing and refuses its minority") {
  const Scenario scenario = testing::load_scenario_or_fail(
      testing::shipped_scenario_path("queue/quorum-queue-partition.yaml"));
  const RunResult r = run(scenario);
  const CheckResult delivery = check_delivery(r.history);
  INFO(testing::explained(delivery));
  CHECK(delivery.guarantees.at("at-least-once") == CheckVerdict::kPass);
  CHECK(delivery.guarantees.at("no-phantoms") == CheckVerdict::kPass);
  CHECK(testing::delivery_metric(delivery, "lost") == 0);
  CHECK(testing::delivery_metric(delivery, "acknowledged") > 1000);
  CHECK(check_convergence(r.final_digests, r.up_at_end, scenario.cluster.nodes).verdict ==
        CheckVerdict::kPass);
}

TEST_SUITE("slow") {
  TEST_CASE("broker raft: 200 seeds of partitions and crashes lose no confirmed message") {
    // Each seed draws another storm of partitions (sometimes isolating the leader) and broker
    // crashes with restarts; the sweep's rules are in support/queue_nemesis_sweep.h.
    const testing::QueueNemesisSweep sweep = testing::sweep_queue_nemesis(
        "broker raft",
        std::string(CAPSIM_SOURCE_DIR) + "/tests/data/scenarios/broker-raft-nemesis.yaml", 200);
    CHECK(sweep.failed == 0);
    CHECK(sweep.acknowledged > 0);
  }
}
