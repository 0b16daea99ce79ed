// The rule for periodic intervals (sim/interval_rules.h) and the loader's messages when a
// scenario breaks it, with the shipped protocols' own option declarations.
#include <doctest/doctest.h>

#include <string>

#include "sim/interval_rules.h"
#include "support/scenario_run.h"

using namespace capsim;
using namespace std::chrono_literals;

namespace {

NetworkSpec network_with(DelayModel delay) {
  NetworkSpec network;
  network.defaults.delay = std::move(delay);
  return network;
}

// Lines 1-3 of every scenario below; line 4 names the cluster, line 5 on is the test's own.
const std::string kHead = "name: t\ndescription: d\nduration: 30s\n";

std::string errors(const std::string& text) {
  const LoadResult result = load_scenario_text(text, "t.yaml", testing::all_protocols());
  CHECK(result.scenario.has_value() == result.diagnostics.empty());
  return result.diagnostics.format();
}

const std::string kRule =
    "(a periodic interval must be at least 1/100 of the network's latency, and at least 1us)";

}  // namespace

TEST_CASE("interval rules: the floor is a hundredth of the latency, and never below 1us") {
  // The latency the rule reads is the default link's, the smallest of a mixture's components;
  // on a fast network the absolute floor of 1us takes over.
  CHECK(network_latency(NetworkSpec{}) == 1ms);
  CHECK(shortest_interval(NetworkSpec{}) == 10us);
  const NetworkSpec mixture = network_with(DelayModel(std::vector<DelayComponent>{
      DelayComponent{DelayShape::kConstant, 200ms, 0ms, 2.0, 1},
      DelayComponent{DelayShape::kLognormal, 5ms, 1ms, 2.0, 9}}));
  CHECK(network_latency(mixture) == 5ms);
  CHECK(shortest_interval(mixture) == 50us);
  const NetworkSpec fast = network_with(DelayModel(DelayComponent{DelayShape::kConstant, 50us}));
  CHECK(shortest_interval(fast) == 1us);
  const NetworkSpec instant = network_with(DelayModel(DelayComponent{DelayShape::kConstant, 0ms}));
  CHECK(shortest_interval(instant) == 1us);

  CHECK(interval_too_short(10us, NetworkSpec{}).empty());
  CHECK(interval_too_short(9999ns, NetworkSpec{}) ==
        "is far below the network's latency of 1ms: it would fire about 100 times while one "
        "message crosses the network");
  CHECK(interval_too_short(1ns, NetworkSpec{}) ==
        "is far below the network's latency of 1ms: it would fire about 1000000 times while "
        "one message crosses the network");
  CHECK(interval_too_short(100ns, instant) ==
        "is below 1us: it would fire 10000000 times per simulated second");
  // 0 is not an interval the rule judges: protocols decide what it means (off, or an error).
  CHECK(interval_too_short(0ns, NetworkSpec{}).empty());
}

TEST_CASE("interval rules: a nemesis draws at most one fault per half interval") {
  // The bound counts gaps of interval/2 from start to stop; the shortest interval it suggests
  // keeps the bound within kMaxNemesisFaults, and (here) one millisecond less would not.
  NemesisSpec nemesis;
  nemesis.start = 1s;
  nemesis.interval = 1s;
  nemesis.stop = 21s;
  CHECK(nemesis_faults_at_most(nemesis, 30s) == 40);
  nemesis.stop.reset();  // default: the duration minus one interval
  CHECK(nemesis_faults_at_most(nemesis, 30s) == 56);
  nemesis.start = 29s;
  CHECK(nemesis_faults_at_most(nemesis, 30s) == 0);

  nemesis.start = 1s;
  const Duration day = 24h;
  const Duration least = shortest_nemesis_interval(nemesis, day);
  nemesis.interval = least;
  CHECK(nemesis_faults_at_most(nemesis, day) <= kMaxNemesisFaults);
  nemesis.interval = least - 1ms;
  CHECK(nemesis_faults_at_most(nemesis, day) > kMaxNemesisFaults);
}

TEST_CASE("scenario loader: a periodic protocol option far below the latency is refused") {
  // Each shipped protocol's periodic options: raft's heartbeat and election timeouts,
  // primary-backup's heartbeat and failover timeout, quorum's hint interval and anti-entropy,
  // crdt's gossip interval. The message names the value, the latency, what it would cost and
  // the shortest value accepted.
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: raft, options: {heartbeat: 1ns}}\n") ==
        "t.yaml:4:58: error: heartbeat 1ns is far below the network's latency of 1ms: it would "
        "fire about 1000000 times while one message crosses the network; use at least 10us " +
            kRule + "\n");
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: primary-backup, options: {heartbeat: 1ns}}\n"
                       "network: {delay: 20ms}\n") ==
        "t.yaml:4:68: error: heartbeat 1ns is far below the network's latency of 20ms: it "
        "would fire about 20000000 times while one message crosses the network; use at least "
        "200us " + kRule + "\n");
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: quorum, options: {hint_interval: 1ns}}\n") ==
        "t.yaml:4:64: error: hint_interval 1ns is far below the network's latency of 1ms: it "
        "would fire about 1000000 times while one message crosses the network; use at least "
        "10us " + kRule + "\n");
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: crdt, options: {gossip_interval: 1ns}}\n") ==
        "t.yaml:4:64: error: gossip_interval 1ns is far below the network's latency of 1ms: "
        "it would fire about 1000000 times while one message crosses the network; use at least "
        "10us " + kRule + "\n");
  const std::string raft_timeouts =
      "cluster:\n  nodes: 3\n  protocol: raft\n  options: {heartbeat: 2us, "
      "election_timeout_min: 5us, election_timeout_max: 8us, lease: 3us}\n";
  CHECK(errors(kHead + raft_timeouts) ==
        "t.yaml:7:24: error: heartbeat 2us is far below the network's latency of 1ms: it would "
        "fire about 500 times while one message crosses the network; use at least 10us " +
            kRule + "\n" +
        "t.yaml:7:51: error: election_timeout_min 5us is far below the network's latency of "
        "1ms: it would fire about 200 times while one message crosses the network; use at "
        "least 10us " + kRule + "\n" +
        "t.yaml:7:78: error: election_timeout_max 8us is far below the network's latency of "
        "1ms: it would fire about 125 times while one message crosses the network; use at "
        "least 10us " + kRule + "\n");
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: primary-backup, options: "
                       "{failover: majority, failover_timeout: 5us}}\n") ==
        "t.yaml:4:95: error: failover_timeout 5us is far below the network's latency of 1ms: "
        "it would fire about 200 times while one message crosses the network; use at least "
        "10us " + kRule + "\n");
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: quorum, options: {anti_entropy: 5us}}\n") ==
        "t.yaml:4:63: error: anti_entropy 5us is far below the network's latency of 1ms: it "
        "would fire about 200 times while one message crosses the network; use at least 10us " +
            kRule + "\n");
}

TEST_CASE("scenario loader: intervals at the floor load, and 0s still means off") {
  // The shortest accepted value is accepted; anti_entropy 0s (off) is not an interval; on an
  // instant network the floor is 1us, and the message says so below it.
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: raft, options: {heartbeat: 10us}}\n").empty());
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: quorum, options: {anti_entropy: 0s}}\n")
            .empty());
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: crdt, options: {gossip_interval: 1us}}\n"
                       "network: {delay: 0ms}\n")
            .empty());
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: crdt, options: {gossip_interval: 999ns}}\n"
                       "network: {delay: 0ms}\n") ==
        "t.yaml:4:64: error: gossip_interval 999ns is below 1us: it would fire 1001001 times "
        "per simulated second; use at least 1us " + kRule + "\n");
}

TEST_CASE("scenario loader: a protocol default that breaks the rule names the key to set") {
  // On a network slower than any protocol's defaults were made for, the default is reported
  // for the whole file, as a default, with the option to write.
  CHECK(errors(kHead + "cluster: {nodes: 3, protocol: primary-backup}\nnetwork: {delay: 20s}\n") ==
        "t.yaml: error: primary-backup's default heartbeat 100ms is far below the network's "
        "latency of 20s: it would fire about 200 times while one message crosses the network; "
        "set cluster.options.heartbeat to at least 200ms " + kRule + "\n");
}

TEST_CASE("scenario loader: a nemesis interval is held to the rule and to a bounded timeline") {
  // nemesis.interval 1ns is refused at load time, before anything is compiled; so is an
  // interval that could draw more faults than a timeline may hold, with the shortest one
  // that could not.
  const std::string cluster = "cluster: {nodes: 3, protocol: raft}\n";
  CHECK(errors(kHead + cluster + "nemesis: {faults: [jump], interval: 1ns}\n") ==
        "t.yaml:5:37: error: interval 1ns is far below the network's latency of 1ms: it would "
        "fire about 1000000 times while one message crosses the network; use at least 10us " +
            kRule + "\n");
  CHECK(errors("name: t\ndescription: d\nduration: 24h\n" + cluster +
               "nemesis: {faults: [crash], interval: 1s}\n") ==
        "t.yaml:5:38: error: interval 1s lets the nemesis draw up to 172796 faults (one every "
        "interval/2 at most), more than the 100000 a run may hold; use at least 1728ms\n");
  CHECK(errors("name: t\ndescription: d\nduration: 24h\n" + cluster +
               "nemesis: {faults: [crash], interval: 1.728s}\n")
            .empty());
}
