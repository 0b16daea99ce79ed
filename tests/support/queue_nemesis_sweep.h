// A seed sweep of one queue scenario under its nemesis, for the slow suite: every seed draws
// another storm of partitions and crashes, and every run must keep the promises a safely
// configured queue makes. Shared by the broker (Raft) and the log sweeps so that both judge
// their runs by the same rules.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/check/convergence.h"
#include "sim/check/delivery.h"
#include "sim/simulation.h"
#include "support/scenario_run.h"

namespace capsim::testing {

struct QueueNemesisSweep {
  std::uint64_t seeds = 0;
  std::uint64_t failed = 0;
  // Runs whose at-least-once verdict was unknown: an ack that timed out may have committed,
  // and the history cannot tell whether its message was settled.
  std::uint64_t at_least_once_unknown = 0;
  double acknowledged = 0;
  double duplicated = 0;
};

inline double delivery_metric(const CheckResult& result, const std::string& name) {
  const auto it = result.metrics.find(name);
  REQUIRE_MESSAGE(it != result.metrics.end(), "no metric " << name);
  return it->second;
}

inline std::string explained(const CheckResult& result) {
  std::string text;
  for (const std::string& line : result.explanation) text += line + "\n";
  return text;
}

// Runs the scenario at `path` on seeds 1..`seeds`. On every run: every acknowledged publish is
// delivered or drained (lost 0, and the drain judged every message: undrained 0), so
// at-least-once never fails; nothing is delivered that was never sent (no-phantoms, and no
// unexpected delivery); no publish that failed is delivered; and the replicas end with equal
// committed state. Prints one summary line under `label`.
inline QueueNemesisSweep sweep_queue_nemesis(const std::string& label, const std::string& path,
                                             std::uint64_t seeds) {
  QueueNemesisSweep sweep;
  sweep.seeds = seeds;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    Scenario scenario = load_scenario_or_fail(path);
    scenario.seed = seed;
    Simulation simulation(scenario, all_protocols(), nullptr);
    const RunResult r = simulation.run();
    const CheckResult delivery = check_delivery(r.history);
    INFO(explained(delivery));
    const bool ok = delivery.guarantees.at("at-least-once") != CheckVerdict::kFail &&
                    delivery.guarantees.at("no-phantoms") == CheckVerdict::kPass &&
                    delivery_metric(delivery, "lost") == 0 &&
                    delivery_metric(delivery, "undrained") == 0 &&
                    delivery_metric(delivery, "unexpected") == 0 &&
                    delivery_metric(delivery, "failed_delivered") == 0;
    CHECK(ok);
    const bool converged =
        check_convergence(r.final_digests, r.up_at_end, scenario.cluster.nodes).verdict ==
        CheckVerdict::kPass;
    CHECK(converged);
    if (!ok || !converged) ++sweep.failed;
    sweep.acknowledged += delivery_metric(delivery, "acknowledged");
    sweep.duplicated += delivery_metric(delivery, "duplicated");
    if (delivery.guarantees.at("at-least-once") == CheckVerdict::kUnknown) {
      ++sweep.at_least_once_unknown;
    }
  }
  std::printf("%s nemesis sweep (%llu seeds): %llu failed, %llu with at-least-once unknown; "
              "%.0f acknowledged, %.0f delivered more than once in all\n",
              label.c_str(), static_cast<unsigned long long>(sweep.seeds),
              static_cast<unsigned long long>(sweep.failed),
              static_cast<unsigned long long>(sweep.at_least_once_unknown), sweep.acknowledged,
              sweep.duplicated);
  return sweep;
}

}  // namespace capsim::testing
