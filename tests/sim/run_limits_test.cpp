// The budget of a run (sim/run_limits.h): the event budget is exact and deterministic, the
// memory guard stops a run whose queue or history keeps growing, and the progress callback
// sees the run without changing it.
#include <doctest/doctest.h>

#include <vector>

#include "sim/run_limits.h"
#include "sim/simulation.h"
#include "support/test_protocols.h"

using namespace capsim;
using namespace std::chrono_literals;

namespace {

const ProtocolRegistry& test_registry() {
  static const ProtocolRegistry registry = [] {
    ProtocolRegistry r;
    testing::register_test_protocols(r);
    return r;
  }();
  return registry;
}

// n1 pings n2 and n3 every `interval` over links of constant `latency`, for one second.
Scenario pinger_scenario(Duration interval, Duration latency) {
  Scenario s;
  s.path = "pinger.yaml";
  s.name = "pinger";
  s.seed = 1;
  s.duration = 1s;
  s.cluster.nodes = 3;
  s.cluster.protocol = "pinger";
  s.cluster.options = default_options(*test_registry().find("pinger"));
  s.cluster.options.set("interval", interval);
  s.workload.clients = 0;
  s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kConstant, latency});
  return s;
}

struct Run {
  RunResult result;
  std::string trace;
};

Run run(const Scenario& scenario, const RunLimits& limits = RunLimits{}) {
  StringTraceSink sink;
  Simulation simulation(scenario, test_registry(), &sink);
  simulation.set_limits(limits);
  Run r{simulation.run(), {}};
  r.trace = sink.text();
  return r;
}

}  // namespace

TEST_CASE("run limits: a run stops at exactly its event budget, the same way every time") {
  // The pinger needs some number N of events. A budget of N lets it finish with the trace of an
  // unbounded run; a budget of N - 1 stops it after N - 1 events, at the time of the last one,
  // and two such runs stop identically.
  const Scenario s = pinger_scenario(100ms, 10ms);
  const Run whole = run(s);
  REQUIRE(whole.result.limit_exceeded.empty());
  const std::uint64_t needed = whole.result.events;
  REQUIRE(needed > 10);

  const Run enough = run(s, RunLimits::for_events(needed));
  CHECK(enough.result.limit_exceeded.empty());
  CHECK(enough.result.trace_hash == whole.result.trace_hash);

  const Run short_of = run(s, RunLimits::for_events(needed - 1));
  CHECK(short_of.result.events == needed - 1);
  CHECK(short_of.result.end_time < s.duration);
  CHECK(short_of.result.limit_exceeded ==
        events_exceeded_message(needed - 1, short_of.result.end_time));
  const Run again = run(s, RunLimits::for_events(needed - 1));
  CHECK(again.trace == short_of.trace);
  CHECK(again.result.limit_exceeded == short_of.result.limit_exceeded);
}

TEST_CASE("run limits: the messages name the budget, the time and the flag that raises it") {
  // Word for word, since people read them: the time is exact virtual time.
  CHECK(events_exceeded_message(100, 1500ms) ==
        "the run exceeded its budget of 100 events at virtual time 1500ms; raise it with "
        "--max-events");
  CHECK(pending_exceeded_message(5000, 2500us) ==
        "the run held more than 5000 events waiting at once (messages in flight, timers, "
        "messages for paused nodes) at virtual time 2500us: messages are sent far faster than "
        "they arrive, and memory would keep growing; this guard grows with the event budget: "
        "raise both with --max-events");
  CHECK(history_exceeded_message(200, 3s) ==
        "the run recorded more than 200 client events at virtual time 3s: the history would "
        "not fit in memory; this guard grows with the event budget: raise both with "
        "--max-events (or lower the workload's rate or the duration)");
  // The guard scales with the budget, and never falls below 10,000 for small budgets.
  const RunLimits standard = RunLimits::for_events(RunLimits::kDefaultMaxEvents);
  CHECK(standard.max_pending == RunLimits{}.max_pending);
  CHECK(standard.max_history == RunLimits{}.max_history);
  CHECK(RunLimits::for_events(1'000'000'000).max_pending == 50'000'000);
  CHECK(RunLimits::for_events(100).max_history == 10'000);
}

TEST_CASE("run limits: the memory guard stops a run whose messages pile up in flight") {
  // Pings every microsecond over 100ms links (an interval the loader would refuse): two more
  // messages are in flight every microsecond, so 5,000 are waiting after about 2.5ms, long
  // before the event budget runs out.
  RunLimits limits;
  limits.max_pending = 5'000;
  const Run r = run(pinger_scenario(1us, 100ms), limits);
  CHECK(r.result.limit_exceeded == pending_exceeded_message(5'000, r.result.end_time));
  CHECK(r.result.end_time > 2ms);
  CHECK(r.result.end_time < 3ms);
}

TEST_CASE("run limits: messages held for a paused node count as waiting") {
  // n2 is paused for the whole run, so its pings pile up in its backlog rather than in the
  // queue; the guard still sees them. Without the pause the same run stays within the guard.
  RunLimits limits;
  limits.max_pending = 1'000;
  Scenario s = pinger_scenario(10us, 1ms);
  s.duration = 100ms;
  REQUIRE(run(s, limits).result.limit_exceeded.empty());
  FaultSpec pause;
  pause.kind = FaultKind::kPause;
  pause.target.node = 1;
  s.faults = {pause};
  const Run r = run(s, limits);
  CHECK(r.result.limit_exceeded == pending_exceeded_message(1'000, r.result.end_time));
  CHECK(r.result.end_time < 20ms);
}

TEST_CASE("run limits: the memory guard stops a run whose history keeps growing") {
  // Clients of single-copy registers record two events an operation; with room for 200 the run
  // stops as soon as the history passes 200.
  Scenario s;
  s.path = "register.yaml";
  s.name = "register";
  s.seed = 3;
  s.duration = 10s;
  s.cluster.nodes = 1;
  s.cluster.protocol = "register";
  s.workload.clients = 2;
  s.workload.rate_milli_per_second = 100'000;
  RunLimits limits;
  limits.max_history = 200;
  const Run r = run(s, limits);
  CHECK(r.result.limit_exceeded == history_exceeded_message(200, r.result.end_time));
  CHECK(r.result.history.size() == 201);
  CHECK(r.result.end_time < 5s);
}

TEST_CASE("run limits: progress is reported every N events and changes nothing") {
  // A callback every 7 events sees the event count at each multiple of 7 and virtual time
  // that never goes back; the trace is byte for byte the one of a run without it.
  const Scenario s = pinger_scenario(10ms, 5ms);
  const Run plain = run(s);
  StringTraceSink sink;
  Simulation simulation(s, test_registry(), &sink);
  std::vector<RunProgress> reports;
  simulation.set_progress([&](const RunProgress& p) { reports.push_back(p); }, 7);
  const RunResult result = simulation.run();
  CHECK(sink.text() == plain.trace);
  REQUIRE(reports.size() == result.events / 7);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    CHECK(reports[i].events == 7 * (i + 1));
    CHECK(reports[i].end == s.duration);
    if (i > 0) CHECK(reports[i].now >= reports[i - 1].now);
  }
}
