#include <doctest/doctest.h>

#include <sstream>

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

Scenario pinger_scenario(std::uint64_t seed) {
  Scenario s;
  s.path = "pinger.yaml";
  s.name = "pinger";
  s.seed = seed;
  s.duration = 1s;
  s.cluster.nodes = 3;
  s.cluster.protocol = "pinger";
  s.cluster.options = default_options(*test_registry().find("pinger"));
  s.workload.clients = 0;
  s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kUniform, 10ms, 5ms});
  return s;
}

struct Run {
  RunResult result;
  std::string trace;
};

Run run(const Scenario& scenario) {
  StringTraceSink sink;
  Simulation simulation(scenario, test_registry(), &sink);
  Run r{simulation.run(), {}};
  r.trace = sink.text();
  return r;
}

int count_lines_with(const std::string& text, const std::string& needle) {
  int count = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) count += line.find(needle) != std::string::npos ? 1 : 0;
  return count;
}

FaultSpec fault_at(Duration at, FaultKind kind) {
  FaultSpec f;
  f.at = at;
  f.kind = kind;
  return f;
}

}  // namespace

TEST_CASE("simulation: the same seed gives the same trace byte for byte; another seed differs") {
  // Runs the pinger twice with one seed and once with another. Latencies are random, so only
  // a really used seed makes the third trace differ.
  const Run a = run(pinger_scenario(1));
  const Run b = run(pinger_scenario(1));
  const Run c = run(pinger_scenario(2));
  CHECK(a.trace == b.trace);
  CHECK(a.result.trace_hash == b.result.trace_hash);
  CHECK(a.result.trace_hash != c.result.trace_hash);
  CHECK(a.result.messages.sent > 0);
  CHECK(a.result.messages.delivered + a.result.messages.dropped_total() == a.result.messages.sent);
}

TEST_CASE("simulation: time never goes backwards and the run stops at its duration") {
  const Run r = run(pinger_scenario(3));
  std::istringstream in(r.trace);
  std::string line;
  long long last = -1;
  while (std::getline(in, line)) {
    const auto t = std::stoll(line.substr(5, line.find(',') - 5));
    CHECK(t >= last);
    last = t;
  }
  CHECK(last == 1'000'000'000);
  CHECK(r.result.end_time == 1s);
  // 10 rounds of 2 pings each, each answered: 40 sends (the last pongs may still be in flight).
  CHECK(r.result.messages.sent >= 38);
}

TEST_CASE("simulation: a partition drops messages already in flight") {
  // Latency is a constant 100ms. The ping sent at 100ms would arrive at 200ms, but a partition
  // at 150ms isolates n2, so it is dropped in flight; pings to n3 still arrive.
  Scenario s = pinger_scenario(1);
  s.duration = 250ms;
  s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kConstant, 100ms});
  FaultSpec partition = fault_at(150ms, FaultKind::kPartition);
  partition.groups = {{0, 2}, {1}};
  s.faults.push_back(partition);
  const Run r = run(s);
  CHECK(r.result.messages.dropped.at("partition-in-flight") == 1);
  CHECK(count_lines_with(r.trace, "\"ev\":\"drop\",\"id\":1,\"from\":\"n1\",\"to\":\"n2\"") == 1);
  CHECK(count_lines_with(r.trace, "\"cause\":\"partition-in-flight\"") == 1);
  REQUIRE(r.result.partitions.size() == 1);
  CHECK(r.result.partitions[0].start == 150ms);
  CHECK_FALSE(r.result.partitions[0].end.has_value());
  CHECK(r.result.partitions[0].description == "[n1 n3] | [n2]");
}

TEST_CASE("simulation: a cut link drops at send time and heal restores it") {
  // One-way cut n1 -/-> n2 from 50ms to 350ms: pings of rounds at 100..300ms are dropped at
  // send with cause "partition"; n2's pongs to n1 are not cut.
  Scenario s = pinger_scenario(1);
  s.duration = 600ms;
  s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kConstant, 10ms});
  FaultSpec cut = fault_at(50ms, FaultKind::kCut);
  cut.from = {0};
  cut.to = {1};
  s.faults.push_back(cut);
  s.faults.push_back(fault_at(350ms, FaultKind::kHeal));
  const Run r = run(s);
  CHECK(r.result.messages.dropped.at("partition") == 3);
  REQUIRE(r.result.partitions.size() == 1);
  CHECK(r.result.partitions[0].end == 350ms);
  // Rounds fire every 100ms; those up to 500ms arrive before the end. n3 gets all five; n2
  // only rounds 4 and 5, after the heal.
  CHECK(count_lines_with(r.trace, "got ping") == 5 + 2);
}

TEST_CASE("simulation: a crash loses unsynced disk writes; a restart rebuilds from disk") {
  // n2 counts pings on its disk without syncing; after a crash and restart it starts from
  // zero. With sync on, it resumes from its count.
  for (const bool sync : {false, true}) {
    Scenario s = pinger_scenario(1);
    s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kConstant, 10ms});
    s.cluster.options.set("sync", sync);
    FaultSpec crash = fault_at(350ms, FaultKind::kCrash);
    crash.target.node = 1;
    FaultSpec restart = fault_at(400ms, FaultKind::kRestart);
    restart.target.node = 1;
    s.faults = {crash, restart};
    const Run r = run(s);
    CAPTURE(sync);
    CHECK(count_lines_with(r.trace, "\"ev\":\"crash\",\"node\":\"n2\"") == 1);
    CHECK(count_lines_with(r.trace, "start pings=" + std::string(sync ? "3" : "0")) >= 1);
    // Rounds 1..9 arrive before the end (round 10 is still in flight). Round 4 is sent at 400ms,
    // just after the restart, so only rounds 1..3 count before the crash.
    CHECK(r.result.final_digests[1] == (sync ? "pings=9" : "pings=6"));
  }
}

TEST_CASE("simulation: a paused node handles nothing until resumed, then everything in order") {
  Scenario s = pinger_scenario(1);
  s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kConstant, 10ms});
  FaultSpec pause = fault_at(150ms, FaultKind::kPause);
  pause.target.node = 2;
  FaultSpec resume = fault_at(450ms, FaultKind::kResume);
  resume.target.node = 2;
  s.faults = {pause, resume};
  const Run r = run(s);
  // Pings of rounds 2, 3, 4 (arriving 210, 310, 410ms) are handled at 450ms, in order.
  CHECK(count_lines_with(r.trace, "got ping 2 at 450000000") == 1);
  CHECK(count_lines_with(r.trace, "got ping 4 at 450000000") == 1);
  CHECK(r.trace.find("got ping 2 at 450000000") < r.trace.find("got ping 3 at 450000000"));
  CHECK(r.result.final_digests[2] == "pings=9");
}

TEST_CASE("simulation: clock skew changes what a node's now() reads, not when things happen") {
  Scenario s = pinger_scenario(1);
  s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kConstant, 10ms});
  FaultSpec skew = fault_at(50ms, FaultKind::kSkew);
  skew.target.node = 1;
  skew.amount = -30ms;
  s.faults = {skew};
  const Run r = run(s);
  // Round 1's ping arrives at 110ms of virtual time; n2's clock reads 80ms.
  CHECK(count_lines_with(r.trace, "\"node\":\"n2\",\"text\":\"got ping 1 at 80000000\"") == 1);
  CHECK(count_lines_with(r.trace, "\"node\":\"n3\",\"text\":\"got ping 1 at 110000000\"") == 1);
}

TEST_CASE("simulation: loss and duplication follow their integer probabilities") {
  Scenario s = pinger_scenario(5);
  s.duration = 20s;
  s.network.defaults.loss = Probability{100'000};       // 10%
  s.network.defaults.duplicate = Probability{200'000};  // 20%
  const Run r = run(s);
  const double sent = static_cast<double>(r.result.messages.sent);
  const double lost = static_cast<double>(r.result.messages.dropped.at("loss"));
  CHECK(lost / sent > 0.07);
  CHECK(lost / sent < 0.13);
  const double dup = static_cast<double>(r.result.messages.duplicated);
  CHECK(dup / (sent - lost) > 0.16);
  CHECK(dup / (sent - lost) < 0.24);
}

TEST_CASE("simulation: clients record every operation as invoke then ok, fail or info") {
  // Four clients against single-copy registers: every operation is answered, so each invoke
  // has a completion (except possibly the last ones at the end), and the rate is about right.
  Scenario s;
  s.path = "register.yaml";
  s.name = "register";
  s.seed = 9;
  s.duration = 10s;
  s.cluster.nodes = 1;
  s.cluster.protocol = "register";
  s.workload.clients = 4;
  s.workload.rate_milli_per_second = 100'000;  // 100/s in all
  s.workload.keys = 2;
  s.workload.mix = {{"cas", 20}, {"read", 40}, {"write", 40}};
  s.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kConstant, 1ms});
  const Run r = run(s);
  int invokes = 0;
  int completions = 0;
  for (const auto& event : r.result.history.events()) {
    (event.type == OpType::kInvoke ? invokes : completions)++;
    CHECK(event.type != OpType::kInfo);
  }
  CHECK(invokes > 800);
  CHECK(invokes < 1200);
  CHECK(completions >= invokes - 4);
  CHECK(r.result.history.events()[0].to_json().find("\"type\":\"invoke\"") != std::string::npos);
  // The history's ops also appear in the trace, in the same order.
  CHECK(count_lines_with(r.trace, "\"ev\":\"op\"") == static_cast<int>(r.result.history.size()));
}

TEST_CASE("simulation: a crashed node's clients time out and continue as new processes") {
  Scenario s;
  s.path = "register.yaml";
  s.name = "register";
  s.seed = 4;
  s.duration = 3s;
  s.cluster.nodes = 1;
  s.cluster.protocol = "register";
  s.workload.clients = 2;
  s.workload.rate_milli_per_second = 20'000;
  s.workload.timeout = 100ms;
  FaultSpec crash = fault_at(1s, FaultKind::kCrash);
  crash.target.node = 0;
  crash.undo_after = 1s;
  s.faults = {crash};
  const Run r = run(s);
  int infos = 0;
  std::uint64_t max_process = 0;
  for (const auto& event : r.result.history.events()) {
    if (event.type == OpType::kInfo) {
      ++infos;
      CHECK(event.error == "timeout");
      CHECK(event.time >= 1s);
      CHECK(event.time <= 2s + 100ms);
    }
    max_process = std::max(max_process, event.process);
  }
  CHECK(infos >= 2);
  CHECK(max_process >= 2);  // a client continued as process id + 2
}

TEST_CASE("simulation: the undo of a fault on a role acts on the node the fault hit") {
  // "crash leader, restart_after 200ms": when the restart fires no node leads (the leader is
  // down), yet the crashed leader must come back.
  Scenario s = pinger_scenario(1);
  FaultSpec crash = fault_at(250ms, FaultKind::kCrash);
  crash.target = NodeSelector{NodeSelector::Kind::kRole, 0, "leader"};
  crash.undo_after = 200ms;
  s.faults = {crash};
  const Run r = run(s);
  CHECK(count_lines_with(r.trace, "\"ev\":\"crash\",\"node\":\"n1\"") == 1);
  CHECK(count_lines_with(r.trace, "\"ev\":\"restart\",\"node\":\"n1\"") == 1);
  CHECK(r.result.up_at_end[0]);
}

TEST_CASE("simulation: clients start no operation in the workload's quiet period") {
  // With quiet 2s in a 5s run, every invoke happens before 3s; operations under way finish.
  Scenario s;
  s.path = "register.yaml";
  s.name = "register";
  s.seed = 2;
  s.duration = 5s;
  s.cluster.nodes = 1;
  s.cluster.protocol = "register";
  s.workload.clients = 3;
  s.workload.rate_milli_per_second = 300'000;
  s.workload.quiet = 2s;
  const Run r = run(s);
  Time last_invoke{0};
  for (const auto& event : r.result.history.events()) {
    if (event.type == OpType::kInvoke) last_invoke = std::max(last_invoke, event.time);
  }
  CHECK(last_invoke < 3s);
  CHECK(last_invoke > 2900ms);
  CHECK(r.result.history.size() % 2 == 0);  // every invoke completed
}
