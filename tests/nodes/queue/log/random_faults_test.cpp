// The log protocol under seeded random faults (partitions, crashes, restarts) on a PumpCluster,
// checked against its guarantees: once everything heals, every replica holds the same log, and
// with acks=all, clean elections and flush=every no acknowledged message is lost or moved.
#include <doctest/doctest.h>

#include <map>

#include "log_test_util.h"
#include "sim/rng.h"

using namespace capsim;
using namespace capsim::log;
using namespace capsim::log::test;
using namespace std::chrono_literals;

namespace {

struct Outcome {
  std::map<std::int64_t, std::int64_t> acked;  // message id -> the offset it was acknowledged at
  std::vector<std::vector<std::int64_t>> logs;  // per node, after the heal
  std::size_t truncations = 0;
};

// 80 rounds of 100ms: a publish to the node the producer believes leads (following redirects),
// and in one round of `fault_one_in` a fault. Then heal, restart every node and let the cluster settle.
Outcome run_random(const OptionOverrides& overrides, std::uint64_t seed,
                   std::uint64_t fault_one_in = 8) {
  LogCluster cluster{3, overrides};
  Rng rng = rng_for(seed, "test");
  Outcome outcome;
  std::map<std::uint64_t, std::int64_t> ops;  // op id -> message id
  NodeId target = 1;
  std::int64_t next_id = 1;
  for (int round = 0; round < 80; ++round) {
    const std::int64_t id = next_id++;
    ops[cluster.publish(target, id)] = id;
    if (rng.below(fault_one_in) == 0) {
      const auto victim = static_cast<NodeId>(rng.below(3));
      switch (rng.below(4)) {
        case 0: cluster.pump().isolate(victim); break;
        case 1: cluster.pump().heal(); break;
        case 2:
          if (cluster.pump().is_up(victim)) cluster.pump().crash(victim);
          break;
        default:
          if (!cluster.pump().is_up(victim)) cluster.pump().restart(victim);
          break;
      }
    }
    cluster.pump().advance(100ms);
    for (const auto& reply : cluster.pump().client_received<QueuePublishReply>()) {
      if (reply.status.outcome == QueueOutcome::kRedirect) target = reply.status.leader_hint;
    }
    if (rng.below(4) == 0) target = static_cast<NodeId>(rng.below(3));
  }
  cluster.pump().heal();
  for (NodeId id = 0; id < 3; ++id) {
    if (!cluster.pump().is_up(id)) cluster.pump().restart(id);
  }
  cluster.pump().advance(10s);
  for (const auto& reply : cluster.pump().client_received<QueuePublishReply>()) {
    if (reply.status.outcome == QueueOutcome::kOk) {
      outcome.acked[ops.at(reply.status.op_id)] = reply.offset;
    }
  }
  for (NodeId id = 0; id < 3; ++id) {
    outcome.logs.push_back(cluster.ids_on(id));
    outcome.truncations += cluster.events_of(id, NodeEventKind::kEntriesDropped);
  }
  return outcome;
}

void check_converged(const Outcome& outcome) {
  CHECK(outcome.logs[0] == outcome.logs[1]);
  CHECK(outcome.logs[1] == outcome.logs[2]);
}

void check_nothing_acknowledged_lost(const Outcome& outcome) {
  const std::vector<std::int64_t>& log = outcome.logs[0];
  for (const auto& [id, offset] : outcome.acked) {
    INFO("message " << id << " acknowledged at offset " << offset);
    REQUIRE(offset >= 0);
    REQUIRE(offset < static_cast<std::int64_t>(log.size()));
    CHECK(log[static_cast<std::size_t>(offset)] == id);
  }
}

}  // namespace

TEST_CASE("log: random faults: acks=all with clean elections converges and loses nothing") {
  // Every seed ends with equal logs that hold each acknowledged message at its offset.
  std::size_t acked = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    const Outcome outcome = run_random({{"acks", "all"}, {"min_insync_replicas", "2"},
                                        {"flush", "every"}}, seed);
    check_converged(outcome);
    check_nothing_acknowledged_lost(outcome);
    acked += outcome.acked.size();
  }
  CHECK(acked > 100);  // the faults left most publishes served
}

TEST_CASE("log: random faults: acks=1 converges, and some seed loses acknowledged messages") {
  // The same faults with acks=1 and flush=never: logs still converge, but the acknowledgements
  // promise less, and across the seeds some acknowledged message is gone.
  std::size_t lost = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    const Outcome outcome = run_random({{"acks", "1"}}, seed);
    check_converged(outcome);
    for (const auto& [id, offset] : outcome.acked) {
      const auto& log = outcome.logs[0];
      const bool kept = offset >= 0 && offset < static_cast<std::int64_t>(log.size()) &&
                        log[static_cast<std::size_t>(offset)] == id;
      lost += kept ? 0 : 1;
    }
  }
  CHECK(lost > 0);
}

TEST_SUITE("slow") {
  TEST_CASE("log: random faults over 1000 seeds: acks=all never loses an acknowledged message") {
    // Faults in one round of three, to reach the rarer interleavings.
    for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
      CAPTURE(seed);
      const Outcome outcome = run_random({{"acks", "all"}, {"min_insync_replicas", "2"},
                                          {"flush", "every"}}, seed, 3);
      check_converged(outcome);
      check_nothing_acknowledged_lost(outcome);
    }
  }
}
