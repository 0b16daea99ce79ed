// A shipped scenario's `expect:` is its lesson. The lesson must not be an accident of one seed:
// every scenario meets its expectations on its own seed (every build) and on seeds 1..20 (the
// slow suite), unless its description tells the learner that another seed may show otherwise.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/expectations.h"
#include "sim/check/scenario_checks.h"
#include "support/scenario_run.h"

using namespace capsim;

namespace {

std::vector<std::string> shipped_scenario_files() {
  std::vector<std::string> paths;
  const std::filesystem::path root = std::filesystem::path(CAPSIM_SOURCE_DIR) / "scenarios";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// The expectations of `scenario` that its run on `seed` does not meet, one "check: expected X,
// measured Y" line each; empty when all are met.
std::string unmet_expectations(Scenario scenario, std::uint64_t seed) {
  scenario.seed = seed;
  Simulation simulation(scenario, testing::all_protocols(), nullptr);
  const RunResult run = simulation.run();
  std::string unmet;
  for (const ExpectationOutcome& outcome :
       evaluate_expectations(scenario.expectations, run_scenario_checks(scenario, run, {}))) {
    if (!outcome.met) {
      unmet += outcome.check + ": expected " + outcome.expected + ", measured " +
               outcome.measured + "\n";
    }
  }
  return unmet;
}

// A description that warns the learner that the lesson depends on the seed.
bool description_says_seeds_differ(const Scenario& scenario) {
  return scenario.description.find("another seed") != std::string::npos ||
         scenario.description.find("other seeds") != std::string::npos;
}

// Seeds on which a shipped scenario is known to miss its expectations because of a defect not
// yet fixed. Each names the defect; the test reports these runs instead of failing on them, and
// says when one starts meeting its expectations, so that its entry can be removed.
struct KnownMiss {
  std::string_view scenario;
  std::uint64_t seed;
  std::string_view defect;
};
// None today: primary-backup-sync's seed 17 met its bounds once its clients stood on partition
// sides (the majority side is then its own clients' reads and writes, not every read).
const std::vector<KnownMiss> kKnownMisses = {};

const KnownMiss* known_miss(const Scenario& scenario, std::uint64_t seed) {
  for (const KnownMiss& miss : kKnownMisses) {
    if (miss.scenario == scenario.name && miss.seed == seed) return &miss;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("scenarios: every shipped scenario meets its expectations on its own seed") {
  // `capsim run FILE` exits 1 when an expectation is not met, so each file's own seed must meet
  // all of them, and every shipped scenario must state at least one.
  for (const std::string& path : shipped_scenario_files()) {
    CAPTURE(path);
    const Scenario scenario = testing::load_scenario_or_fail(path);
    CHECK_FALSE(scenario.expectations.empty());
    const std::string unmet = unmet_expectations(scenario, scenario.seed);
    INFO(unmet);
    CHECK(unmet.empty());
  }
}

TEST_CASE("scenarios: primary-backup-async on seed 3 meets its expectations") {
  // n1, cut off alone, answers every request it gets; some cas operations it answers "cas
  // mismatch". That is a response, so its side's availability must count it: the expectation
  // that n1 keeps answering (availability_minority >= 90%) holds.
  const Scenario scenario = testing::load_scenario_or_fail(
      testing::shipped_scenario_path("cap/primary-backup-async.yaml"));
  const std::string unmet = unmet_expectations(scenario, 3);
  INFO(unmet);
  CHECK(unmet.empty());
}

TEST_SUITE("slow") {
  TEST_CASE("scenarios: every shipped scenario meets its expectations on seeds 1..20") {
    // What a scenario teaches should hold whatever the seed. Where it cannot (a lesson about a
    // race that only some schedules lose), the description must say so in words a learner
    // reads ("another seed" / "other seeds"); then only the file's own seed is held to it.
    for (const std::string& path : shipped_scenario_files()) {
      CAPTURE(path);
      const Scenario scenario = testing::load_scenario_or_fail(path);
      if (description_says_seeds_differ(scenario)) continue;
      for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        CAPTURE(seed);
        const std::string unmet = unmet_expectations(scenario, seed);
        if (const KnownMiss* miss = known_miss(scenario, seed)) {
          if (unmet.empty()) {
            MESSAGE(scenario.name << " seed " << seed << " now meets its expectations: remove "
                                  << "its known-miss entry");
          } else {
            MESSAGE(scenario.name << " seed " << seed << " misses (known defect: "
                                  << miss->defect << "):\n" << unmet);
          }
          continue;
        }
        INFO(unmet);
        CHECK(unmet.empty());
      }
    }
  }
}
