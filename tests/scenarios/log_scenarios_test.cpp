// The Kafka-style log in whole runs under a random nemesis of partitions and broker crashes:
// at its safest settings (acks=all, min_insync_replicas 2, no unclean election, every append
// synced) no acknowledged publish is lost and nothing is delivered that was never sent.
#include <doctest/doctest.h>

#include <string>

#include "support/queue_nemesis_sweep.h"

using namespace capsim;

namespace {

std::string nemesis_scenario() {
  return std::string(CAPSIM_SOURCE_DIR) + "/tests/data/scenarios/log-nemesis.yaml";
}

}  // namespace

TEST_CASE("log: one seed of the nemesis keeps every acknowledged publish") {
  const testing::QueueNemesisSweep sweep =
      testing::sweep_queue_nemesis("log", nemesis_scenario(), 1);
  CHECK(sweep.failed == 0);
  CHECK(sweep.acknowledged > 0);
}

TEST_SUITE("slow") {
  TEST_CASE("log: 200 seeds of partitions and crashes lose no acknowledged publish") {
    // Each seed moves partition leadership in another order, sometimes cutting off or
    // crashing the controller; the sweep's rules are in support/queue_nemesis_sweep.h.
    const testing::QueueNemesisSweep sweep =
        testing::sweep_queue_nemesis("log", nemesis_scenario(), 200);
    CHECK(sweep.failed == 0);
    CHECK(sweep.acknowledged > 0);
  }
}
