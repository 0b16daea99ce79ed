// Clients can crash and restart like nodes: a crashed client does nothing until its restart,
// and comes back under a fresh process that no other client will ever use.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "support/scenario_run.h"

using namespace capsim;
using namespace std::chrono_literals;

TEST_CASE("simulation: a crashed client is silent until its restart, then uses a fresh process") {
  // c2 of three kv clients crashes at 2s and restarts at 3s: nothing of it in between, and
  // afterwards a process above every earlier one and writes that succeed.
  const std::string text =
      "name: t\ndescription: d\nseed: 4\nduration: 6s\n"
      "cluster: {nodes: 3, protocol: raft}\n"
      "workload: {clients: 3, rate: 300/s, route: leader}\n"
      "faults: [{at: 2s, crash: c2, restart_after: 1s}]\n";
  const LoadResult loaded = load_scenario_text(text, "t.yaml", testing::all_protocols());
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario.has_value());
  const testing::TracedRun first = testing::run_traced(*loaded.scenario);
  const testing::TracedRun again = testing::run_traced(*loaded.scenario);
  CHECK(first.result.trace_hash == again.result.trace_hash);

  std::uint64_t highest_before_restart = 0;
  std::set<std::uint64_t> c2_after;
  int c2_writes_ok_after = 0;
  std::map<std::uint64_t, bool> open;  // by process: an operation is open
  for (const HistoryEvent& e : first.result.history.events()) {
    if (e.time < 3s) highest_before_restart = std::max(highest_before_restart, e.process);
    if (e.process % 3 == 1) {
      CHECK_FALSE((e.time > 2s && e.time < 3s));  // c2 is down
      if (e.time >= 3s) c2_after.insert(e.process);
      if (e.time >= 3s && e.type == OpType::kOk && e.f == "write") ++c2_writes_ok_after;
    }
    if (e.type == OpType::kInvoke) {
      CHECK_FALSE(open[e.process]);  // never two operations open in one process
      open[e.process] = true;
    } else {
      open[e.process] = false;
    }
  }
  REQUIRE_FALSE(c2_after.empty());
  CHECK(*c2_after.begin() > highest_before_restart);
  // Its requests carry op ids above its earlier ones, so Raft's client sessions take them as
  // new rather than as stale copies: its writes succeed again.
  CHECK(c2_writes_ok_after > 10);
}
