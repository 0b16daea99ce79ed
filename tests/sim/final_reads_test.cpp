// Final reads: when the loader accepts them, and what a run records when they are on.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "sim/check/jsonl_reader.h"
#include "sim/final_reads.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"
#include "support/scenario_run.h"

using namespace capsim;

namespace {

// Lines 1-4; line 5 is the workload; faults or a nemesis follow from line 6.
const std::string kBase =
    "name: t\n"
    "description: d\n"
    "duration: 10s\n"
    "cluster: {nodes: 3, protocol: primary-backup, options: {failover: majority}}\n";
const std::string kWorkload =
    "workload: {name: set, clients: 2, rate: 50/s, keys: 2, quiet: 3s, final_reads: true}\n";

std::string errors(const std::string& text) {
  return load_scenario_text(text, "test.yaml", testing::all_protocols()).diagnostics.format();
}

Scenario load_ok(const std::string& text) {
  LoadResult result = load_scenario_text(text, "test.yaml", testing::all_protocols());
  REQUIRE_MESSAGE(result.scenario, result.diagnostics.format());
  return *result.scenario;
}

}  // namespace

TEST_CASE("final reads loader: accepted when every fault is over before the quiet period") {
  // A healed partition and a crash restarted by a later fault leave room: the final reads start
  // at duration - timeout, the quiet period at duration - quiet.
  const Scenario s = load_ok(kBase + kWorkload +
                             "faults:\n"
                             "  - {at: 2s, partition: {groups: [[n1], [n2, n3]]}, heal_after: 3s}\n"
                             "  - {at: 3s, crash: n2}\n"
                             "  - {at: 6s, restart: n2}\n");
  CHECK(s.workload.final_reads);
  CHECK(final_reads_start(s) == std::chrono::milliseconds(9500));
  CHECK(quiet_start(s) == std::chrono::seconds(7));
  CHECK_FALSE(load_ok(kBase + "workload: {name: set}\n").workload.final_reads);
}

TEST_CASE("final reads loader: each scenario without room for them is refused, word for word") {
  // Each way of leaving no room gets its own message at the place to fix.
  SUBCASE("no quiet period") {
    CHECK(errors(kBase + "workload: {name: set, final_reads: true}\n") ==
          "test.yaml:5:36: error: final reads need a quiet period longer than the timeout: they "
          "take the last 500ms of the run, after the replicas have settled; set workload.quiet "
          "above 500ms (it is 0s)\n");
  }
  SUBCASE("not a boolean") {
    CHECK(errors(kBase + "workload: {final_reads: maybe}\n") ==
          "test.yaml:5:25: error: expected true or false, got 'maybe'\n");
  }
  SUBCASE("a partition never healed") {
    CHECK(errors(kBase + kWorkload + "faults:\n  - {at: 2s, partition: majority}\n") ==
          "test.yaml:7:5: error: the partition at 2s is never healed, but final reads need every "
          "fault over by the start of the quiet period (7s), so the replicas settle before the "
          "final reads at 9.5s; add heal_after or a later {heal: all}\n");
  }
  SUBCASE("a crash restarted too late") {
    CHECK(errors(kBase + kWorkload + "faults:\n  - {at: 2s, crash: leader, restart_after: 6s}\n") ==
          "test.yaml:7:5: error: the crash at 2s is restarted only at 8s, after the quiet period "
          "begins: final reads need every fault over by the start of the quiet period (7s), so "
          "the replicas settle before the final reads at 9.5s\n");
  }
  SUBCASE("a fault inside the quiet period") {
    CHECK(errors(kBase + kWorkload + "faults:\n  - {at: 8s, pause: n3, resume_after: 1s}\n") ==
          "test.yaml:7:5: error: the pause at 8s comes after the quiet period begins: final reads "
          "need every fault over by the start of the quiet period (7s), so the replicas settle "
          "before the final reads at 9.5s\n");
  }
  SUBCASE("a nemesis acting into the quiet period") {
    CHECK(errors(kBase + kWorkload + "nemesis: {faults: [crash], interval: 2s}\n") ==
          "test.yaml:6:10: error: the nemesis may act until 10s (its stop 8s plus its fault "
          "duration 2s), after the quiet period begins (7s): final reads need every fault over "
          "by then, so the replicas settle before the final reads at 9.5s; stop the nemesis "
          "earlier or lengthen workload.quiet\n");
  }
}

TEST_CASE("final reads: every live node is read for every key at the end, marked final") {
  // Two keys on three nodes: six final reads, invoked together at duration - timeout, each
  // under its own process above the clients', all flagged, and nothing else flagged.
  const Scenario s = load_ok(kBase + kWorkload);
  Simulation simulation(s, testing::all_protocols(), nullptr);
  const RunResult result = simulation.run();
  std::set<std::uint64_t> client_processes;
  std::set<std::uint64_t> final_processes;
  std::set<std::string> read_pairs;  // "n2/k1"
  std::size_t final_completions = 0;
  for (const HistoryEvent& event : result.history.events()) {
    if (!event.final_read) {
      client_processes.insert(event.process);
      CHECK(event.time < final_reads_start(s));
      continue;
    }
    CHECK(event.f == "read");
    if (event.type == OpType::kInvoke) {
      CHECK(event.time == final_reads_start(s));
      final_processes.insert(event.process);
      read_pairs.insert(event.node + "/" + event.key.value_or(""));
    } else {
      ++final_completions;
      CHECK(event.type == OpType::kOk);  // a quiet cluster answers every one
      CHECK(event.time <= s.duration);
    }
  }
  CHECK(read_pairs == std::set<std::string>{"n1/k1", "n1/k2", "n2/k1", "n2/k2", "n3/k1", "n3/k2"});
  CHECK(final_processes.size() == 6);
  CHECK(final_completions == 6);
  REQUIRE_FALSE(client_processes.empty());
  CHECK(*final_processes.begin() > *client_processes.rbegin());
}

TEST_CASE("final reads: history.jsonl marks them and our reader reads the mark back") {
  // Round trip through the JSON Lines writer and reader keeps the "final" field on every event.
  const Scenario s = load_ok(kBase + kWorkload);
  Simulation simulation(s, testing::all_protocols(), nullptr);
  const RunResult result = simulation.run();
  const std::string text = result.history.to_jsonl();
  CHECK(text.find(",\"final\":true}") != std::string::npos);
  Diagnostics diagnostics("history.jsonl");
  const std::optional<History> back = read_jsonl_history(text, diagnostics);
  REQUIRE_MESSAGE(back, diagnostics.format());
  REQUIRE(back->size() == result.history.size());
  for (std::size_t i = 0; i < back->size(); ++i) {
    CHECK(back->events()[i].final_read == result.history.events()[i].final_read);
  }
}

TEST_CASE("final reads: a fixed route does not follow a backup's redirect") {
  // With route fixed, the reads asked of backups n2 and n3 fail instead of reaching n1.
  const Scenario s = load_ok(kBase +
                             "workload: {name: counter, clients: 1, keys: 1, quiet: 3s, "
                             "final_reads: true, route: fixed}\n");
  Simulation simulation(s, testing::all_protocols(), nullptr);
  const RunResult result = simulation.run();
  std::map<std::string, std::string> outcome;  // node -> type of the completion
  for (const HistoryEvent& event : result.history.events()) {
    if (event.final_read && event.type != OpType::kInvoke) {
      outcome[event.node] = std::string(op_type_name(event.type)) +
                            (event.error.empty() ? "" : " " + event.error);
    }
  }
  CHECK(outcome == std::map<std::string, std::string>{{"n1", "ok"},
                                                      {"n2", "fail redirected, not followed"},
                                                      {"n3", "fail redirected, not followed"}});
}

TEST_CASE("final reads: a run with them is a pure function of the scenario and seed") {
  // Two runs of the same scenario, with a fault and its heal, give the same trace and history.
  const Scenario s = load_ok(kBase + kWorkload +
                             "faults:\n  - {at: 2s, partition: {isolate: leader}, heal_after: 2s}\n");
  Simulation first(s, testing::all_protocols(), nullptr);
  Simulation second(s, testing::all_protocols(), nullptr);
  const RunResult a = first.run();
  const RunResult b = second.run();
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.history.to_jsonl() == b.history.to_jsonl());
}
