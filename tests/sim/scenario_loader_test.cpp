#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/scenario_loader.h"
#include "support/bounded_call.h"

using namespace capsim;

namespace {

// A registry with one small protocol, so that these tests do not depend on real ones:
// "echo" takes mode (sync | async), acks (1..9, at most nodes - 1) and timeout.
const ProtocolRegistry& test_registry() {
  static const ProtocolRegistry registry = [] {
    ProtocolRegistry result;
    ProtocolInfo echo;
    echo.name = "echo";
    echo.summary = "answers every message";
    OptionSpec mode;
    mode.name = "mode";
    mode.type = OptionType::kChoice;
    mode.default_text = "async";
    mode.choices = {"sync", "async"};
    OptionSpec acks;
    acks.name = "acks";
    acks.default_text = "1";
    acks.min = 1;
    acks.max = 9;
    OptionSpec timeout;
    timeout.name = "timeout";
    timeout.type = OptionType::kDuration;
    timeout.default_text = "100ms";
    echo.options = {mode, acks, timeout};
    echo.validate = [](const Options& options, std::uint32_t nodes, Diagnostics& diagnostics) {
      const std::int64_t acks = options.integer("acks");
      if (acks > static_cast<std::int64_t>(nodes) - 1) {
        diagnostics.error(options.position("acks"),
                          "acks " + std::to_string(acks) + " needs more than " +
                              std::to_string(nodes) + " nodes");
      }
    };
    result.add(std::move(echo));
    ProtocolInfo quiet;
    quiet.name = "quiet";
    result.add(std::move(quiet));
    return result;
  }();
  return registry;
}

// Lines 1-4 of most test inputs: a valid scenario to which a test appends its lines.
const std::string kBase =
    "name: t\n"
    "description: d\n"
    "duration: 30s\n"
    "cluster: {nodes: 5, protocol: echo}\n";

LoadResult load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_scenario_text(text, "test.yaml", test_registry(), overrides);
}

// Every error the loader reports for `text`, one a line.
std::string errors(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const LoadResult result = load(text, overrides);
  CHECK(result.scenario.has_value() == result.diagnostics.empty());
  return result.diagnostics.format();
}

std::string data_path(const std::string& name) {
  return std::string(CAPSIM_SOURCE_DIR) + "/tests/data/scenarios/" + name;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("capsim_loader_test_" + name)).string();
}

}  // namespace

TEST_CASE("scenario loader: a full scenario fills every field") {
  // Loads a file that uses every key with non-default values and checks a broad sample of
  // the resulting fields, units resolved.
  const LoadResult result = load_scenario_file(data_path("full.yaml"), test_registry());
  REQUIRE_MESSAGE(result.scenario.has_value(), result.diagnostics.format());
  const Scenario& s = *result.scenario;
  CHECK(s.path == data_path("full.yaml"));
  CHECK(s.version == 1);
  CHECK(s.name == "full-example");
  CHECK(s.description == "Uses every key of the format, so the loader test can check each field.\n");
  CHECK(s.seed == 0x5eed);
  CHECK(s.duration == 30s);
  CHECK(s.cluster.nodes == 5);
  CHECK(s.cluster.protocol == "echo");
  CHECK(s.cluster.options.choice("mode") == "sync");
  CHECK(s.cluster.options.integer("acks") == 2);
  CHECK(s.cluster.options.duration("timeout") == 100ms);  // the declared default
  CHECK(s.cluster.options.position("acks").line == 11);
  CHECK(s.cluster.options.position("acks").column == 31);

  CHECK(s.workload.name == "kv");
  CHECK(s.workload.clients == 4);
  CHECK(s.workload.rate_milli_per_second == 200'000);
  CHECK(s.workload.keys == 5);
  const std::vector<std::pair<std::string, std::uint32_t>> mix = {
      {"cas", 10}, {"read", 50}, {"write", 40}};
  CHECK(s.workload.mix == mix);
  CHECK(s.workload.timeout == 250ms);
  CHECK(s.workload.route == Route::kFixed);
  CHECK(s.workload.fixed_nodes == std::vector<NodeId>{0, 2});

  const DelayComponent& delay = s.network.defaults.delay.components().at(0);
  CHECK(delay.shape == DelayShape::kLognormal);
  CHECK(delay.latency == 5ms);
  CHECK(delay.jitter == 2ms);
  CHECK(s.network.defaults.loss.ppm == 5'000);
  CHECK(s.network.defaults.duplicate.ppm == 10'000);
  CHECK(s.network.defaults.reorder.ppm == 20'000);
  REQUIRE(s.network.links.size() == 3);
  const LinkRule& first = s.network.links[0];
  CHECK(first.from == std::vector<NodeId>{0});
  CHECK(first.to == std::vector<NodeId>{4});
  CHECK_FALSE(first.both_ways);
  CHECK(first.delay->components().at(0).latency == 40ms);
  CHECK_FALSE(first.loss.has_value());
  CHECK_FALSE(first.window_start.has_value());
  CHECK(first.pos.line == 26);
  const LinkRule& second = s.network.links[1];
  CHECK(second.from == std::vector<NodeId>{5, 6});  // c1, c2 come after n1..n5
  CHECK(second.to.empty());
  CHECK(second.both_ways);
  CHECK(second.message_kind == "echo.ping");
  CHECK(second.loss->ppm == Probability::kMillion);
  CHECK(second.window_start == 5s);
  CHECK(second.window_end == 10s);
  const auto& mixture = s.network.links[2].delay->components();
  REQUIRE(mixture.size() == 2);
  CHECK(mixture[0].weight == 90);
  CHECK(mixture[0].shape == DelayShape::kConstant);
  CHECK(mixture[1].shape == DelayShape::kPareto);
  CHECK(mixture[1].pareto_shape == 1.5);
  CHECK(mixture[1].jitter == 50ms);

  REQUIRE(s.faults.size() == 11);
  CHECK(s.faults[0].kind == FaultKind::kPartition);
  CHECK(s.faults[0].shape == PartitionShape::kGroups);
  CHECK(s.faults[0].groups == std::vector<std::vector<NodeId>>{{0, 1}, {2, 3, 4}});
  CHECK(s.faults[0].undo_after == 5s);
  CHECK(s.faults[0].at == 10s);
  CHECK(s.faults[0].pos.line == 33);
  CHECK(s.faults[1].shape == PartitionShape::kMajority);
  CHECK(s.faults[2].shape == PartitionShape::kIsolateRole);
  CHECK(s.faults[2].role == "leader");
  CHECK(s.faults[3].kind == FaultKind::kCrash);
  CHECK(s.faults[3].target.kind == NodeSelector::Kind::kRole);
  CHECK(s.faults[3].target.role == "leader");
  CHECK(s.faults[3].undo_after == 3s);
  CHECK(s.faults[4].kind == FaultKind::kRestart);
  CHECK(s.faults[4].target.kind == NodeSelector::Kind::kNode);
  CHECK(s.faults[4].target.node == 0);
  CHECK_FALSE(s.faults[4].undo_after.has_value());
  CHECK(s.faults[5].kind == FaultKind::kPause);
  CHECK(s.faults[5].undo_after == 1s);
  CHECK(s.faults[6].target.kind == NodeSelector::Kind::kAll);
  CHECK(s.faults[7].kind == FaultKind::kSkew);
  CHECK(s.faults[7].target.node == 2);
  CHECK(s.faults[7].amount == -200ms);
  CHECK(s.faults[8].kind == FaultKind::kJump);
  CHECK(s.faults[8].target.kind == NodeSelector::Kind::kRandom);
  CHECK(s.faults[8].amount == 1s);
  CHECK(s.faults[9].kind == FaultKind::kCut);
  CHECK(s.faults[9].from == std::vector<NodeId>{0});
  CHECK(s.faults[9].to == std::vector<NodeId>{1, 2});
  CHECK(s.faults[10].kind == FaultKind::kHeal);
  CHECK(s.faults[10].at == 20s);

  REQUIRE(s.nemesis.has_value());
  const std::vector<FaultKind> kinds = {FaultKind::kPartition, FaultKind::kCrash,
                                        FaultKind::kPause, FaultKind::kSkew};
  CHECK(s.nemesis->faults == kinds);
  CHECK(s.nemesis->interval == 4s);
  CHECK(s.nemesis->fault_duration == 1s);
  CHECK(s.nemesis->start == 2s);
  CHECK(s.nemesis->stop == 25s);
}

TEST_CASE("scenario loader: optional keys take their documented defaults") {
  // A minimal scenario, then one with empty workload and network maps and a nemesis with
  // only its kinds: every other field must hold the default the format documents.
  const LoadResult minimal = load(kBase);
  REQUIRE_MESSAGE(minimal.scenario.has_value(), minimal.diagnostics.format());
  const Scenario& s = *minimal.scenario;
  CHECK(s.path == "test.yaml");
  CHECK(s.version == 1);
  CHECK(s.seed == 1);
  CHECK(s.workload.clients == 0);  // no workload: no clients
  CHECK(s.cluster.options.choice("mode") == "async");
  CHECK(s.cluster.options.integer("acks") == 1);
  CHECK(s.cluster.options.position("acks").line == 0);
  CHECK(s.network.defaults == LinkBehaviour{});
  CHECK(s.network.links.empty());
  CHECK(s.faults.empty());
  CHECK_FALSE(s.nemesis.has_value());

  const LoadResult empty_sections =
      load(kBase + "workload: {}\nnetwork: {}\nfaults: []\nnemesis: {faults: [crash]}\n");
  REQUIRE_MESSAGE(empty_sections.scenario.has_value(), empty_sections.diagnostics.format());
  const Scenario& e = *empty_sections.scenario;
  CHECK(e.workload.name == "kv");
  CHECK(e.workload.clients == 1);
  CHECK(e.workload.rate_milli_per_second == 10'000);
  CHECK(e.workload.keys == 1);
  CHECK(e.workload.mix == std::vector<std::pair<std::string, std::uint32_t>>{{"read", 50},
                                                                              {"write", 50}});
  CHECK(e.workload.timeout == 500ms);
  CHECK(e.workload.route == Route::kAny);
  CHECK(e.network.defaults.delay.components().at(0).latency == 1ms);
  CHECK(e.nemesis->interval == 5s);
  CHECK(e.nemesis->fault_duration == 2s);
  CHECK(e.nemesis->start == 1s);
  CHECK_FALSE(e.nemesis->stop.has_value());
}

TEST_CASE("scenario loader: the other spellings of delay, route and seed") {
  // A bare duration is a constant delay, `fixed` alone routes to every node, and a seed may
  // be any unsigned 64-bit number.
  const LoadResult result = load(kBase +
                                 "seed: 18446744073709551615\n"
                                 "workload: {route: fixed}\n"
                                 "network: {delay: 7ms}\n");
  REQUIRE_MESSAGE(result.scenario.has_value(), result.diagnostics.format());
  CHECK(result.scenario->seed == 18446744073709551615ULL);
  CHECK(result.scenario->workload.fixed_nodes == std::vector<NodeId>{0, 1, 2, 3, 4});
  CHECK(result.scenario->network.defaults.delay ==
        DelayModel(DelayComponent{DelayShape::kConstant, 7ms}));
  CHECK(errors(kBase + "seed: 18446744073709551616\n") ==
        "test.yaml:5:7: error: expected a seed: a whole number from 0 to 18446744073709551615, "
        "or hex such as 0x5eed, got '18446744073709551616'\n");
}

TEST_CASE("scenario loader: unknown keys get a hint or the list of valid keys") {
  // A near miss names the key meant; anything else lists the keys that exist there.
  CHECK(errors(kBase + "sed: 4\n") == "test.yaml:5:1: error: unknown key 'sed' (did you mean 'seed'?)\n");
  CHECK(errors(kBase + "workload: {clients: 1, banana: 2}\n") ==
        "test.yaml:5:24: error: unknown key 'banana' (expected one of: name, clients, rate, "
        "keys, mix, timeout, route, placement, quiet, final_reads)\n");
  CHECK(errors(kBase + "faults:\n  - {at: 1s, crash: n1, restart_afterr: 1s}\n") ==
        "test.yaml:6:25: error: unknown key 'restart_afterr' (did you mean 'restart_after'?)\n");
}

TEST_CASE("scenario loader: required keys are reported where they are missing") {
  // Each required key, when absent, is reported at the map that should hold it.
  CHECK(errors("name: t\ncluster:\n  nodes: 2\n") ==
        "test.yaml:1:1: error: missing required key 'description'\n"
        "test.yaml:1:1: error: missing required key 'duration'\n"
        "test.yaml:3:3: error: missing required key 'protocol'\n");
  CHECK(errors(kBase + "network: {delay: {jitter: 1ms}}\n") ==
        "test.yaml:5:18: error: missing required key 'latency'\n");
}

TEST_CASE("scenario loader: wrong types say what was expected and what was found") {
  // Maps, lists and scalars in the wrong place.
  CHECK(errors(kBase + "workload: [kv]\n") == "test.yaml:5:11: error: expected a map, got a list\n");
  CHECK(errors(kBase + "faults: {at: 1s}\n") == "test.yaml:5:9: error: expected a list, got a map\n");
  CHECK(errors(kBase + "workload: {timeout: [1s]}\n") ==
        "test.yaml:5:21: error: expected a duration with a unit, such as 250ms, 1.5s or 2m, got "
        "a list\n");
  CHECK(errors(kBase + "workload: {timeout: fast}\n") ==
        "test.yaml:5:21: error: expected a duration with a unit, such as 250ms, 1.5s or 2m, got "
        "'fast'\n");
  CHECK(errors(kBase + "workload:\n") == "test.yaml:5:1: error: expected a map, got nothing\n");
  CHECK(errors(kBase + "workload: {clients: two}\n") ==
        "test.yaml:5:21: error: expected a whole number, got 'two'\n");
}

TEST_CASE("scenario loader: a quoted number or boolean is a string, and an error") {
  // In YAML "3" is text; reading it as 3 would accept silently what the writer may not have
  // meant. Every place that takes a number or true/false says what it got, quotes included.
  CHECK(errors("name: t\ndescription: d\nduration: 30s\ncluster: {nodes: \"3\", protocol: echo}\n") ==
        "test.yaml:4:18: error: expected a number, got the string \"3\" (write numbers without "
        "quotes)\n");
  CHECK(errors(kBase + "seed: '42'\n") ==
        "test.yaml:5:7: error: expected a number, got the string \"42\" (write numbers without "
        "quotes)\n");
  CHECK(errors(kBase + "workload:\n  clients: \"2\"\n  keys: |\n    3\n") ==
        "test.yaml:6:12: error: expected a number, got the string \"2\" (write numbers without "
        "quotes)\n"
        "test.yaml:7:9: error: expected a number, got the string \"3\\n\" (write numbers "
        "without quotes)\n");
  CHECK(errors(kBase + "workload: {mix: {read: '1', write: 1}, final_reads: \"true\"}\n") ==
        "test.yaml:5:24: error: expected a number, got the string \"1\" (write numbers without "
        "quotes)\n"
        "test.yaml:5:53: error: expected true or false, got the string \"true\" (write true and "
        "false without quotes)\n");
  CHECK(errors(kBase, {"cluster.options.acks=\"2\""}) ==
        "--set cluster.options.acks=\"2\": error: expected a number, got the string \"2\" (write "
        "numbers without quotes)\n");
  CHECK(errors(kBase, {"cluster.nodes='5'"}) ==
        "--set cluster.nodes='5': error: expected a number, got the string \"5\" (write numbers "
        "without quotes)\n");
  // Text stays text in quotes, and a quoted duration is still a duration.
  CHECK(errors(kBase + "workload: {name: \"kv\", timeout: \"200ms\"}\nnetwork: {loss: '1%'}\n") ==
        "");
}

TEST_CASE("scenario loader: explicit YAML tags are refused where they are written") {
  // A tag would let a file choose a type that its key does not have ("!!str 3"), or carry one
  // that the loader would ignore; each one is reported, keys included, with the rest.
  CHECK(errors(kBase + "seed: !!str 3\n") ==
        "test.yaml:5:7: error: the YAML tag '!!str' is not supported: write the value without it "
        "(text in quotes, numbers and true/false without)\n");
  CHECK(errors(kBase + "network: !!map {loss: !!int 1}\n!foo seed: 3\n") ==
        "test.yaml:5:10: error: the YAML tag '!!map' is not supported: write the value without "
        "it (text in quotes, numbers and true/false without)\n"
        "test.yaml:5:23: error: the YAML tag '!!int' is not supported: write the value without "
        "it (text in quotes, numbers and true/false without)\n"
        "test.yaml:5:23: error: expected a percentage such as 2% or 0.5% (0% to 100%), got '1'\n"
        "test.yaml:6:1: error: the YAML tag '!foo' is not supported: write the value without it "
        "(text in quotes, numbers and true/false without)\n");
  CHECK(errors(kBase + "workload: !<tag:yaml.org,2002:null>\n")
            .starts_with("test.yaml:5:11: error: the YAML tag '!!null' is not supported"));
  CHECK(errors(kBase, {"seed=!!int 7"}) ==
        "--set seed=!!int 7: error: the YAML tag '!!int' is not supported: write the value "
        "without it (text in quotes, numbers and true/false without)\n");
}

TEST_CASE("scenario loader: a description of only white space, of any kind, is empty") {
  // ASCII spaces, Unicode spaces (no-break, em, ideographic) and invisible characters show
  // nothing in `capsim list` or a report: each is refused like an empty description, from a
  // file or from --set; visible text around them is fine.
  const std::string head = "name: t\nduration: 30s\ncluster: {nodes: 5, protocol: echo}\n";
  const std::string empty =
      "error: description cannot be empty: say what the scenario teaches\n";
  CHECK(errors(head + "description: '   '\n") == "test.yaml:4:14: " + empty);
  CHECK(errors(head + "description: \"\\u00a0\\u3000\\t\"\n") == "test.yaml:4:14: " + empty);
  CHECK(errors(head + "description: \"\xe2\x80\x83\xe2\x80\x8b\xef\xbb\xbf\"\n") ==
        "test.yaml:4:14: " + empty);
  CHECK(errors(head + "description: |\n  \xc2\xa0\n\n") == "test.yaml:4:14: " + empty);
  CHECK(errors(head + "description: x\n", {"description=\"\xe3\x80\x80\""}) ==
        "--set description=\"\xe3\x80\x80\": " + empty);
  CHECK(errors(head + "description: x\n", {"description="}) ==
        "--set description=: error: expected text, got nothing\n");
  CHECK(errors(head + "description: \"\xc2\xa0" "caf\xc3\xa9\xc2\xa0\"\n") == "");
}

TEST_CASE("scenario loader: out-of-range values are errors") {
  // Percentages over 100%, negative and unit-less durations, counts outside their limits.
  CHECK(errors(kBase + "network: {loss: 101%}\n") ==
        "test.yaml:5:17: error: percentage '101%' is over 100%\n");
  CHECK(errors(kBase + "network: {loss: 5}\n") ==
        "test.yaml:5:17: error: expected a percentage such as 2% or 0.5% (0% to 100%), got '5'\n");
  CHECK(errors(kBase + "faults: [{at: -1s, crash: n1}]\n") ==
        "test.yaml:5:15: error: a duration cannot be negative ('-1s'); expected a duration with a "
        "unit, such as 250ms, 1.5s or 2m\n");
  CHECK(errors(kBase + "workload: {timeout: 500}\n") ==
        "test.yaml:5:21: error: duration '500' has no unit; expected a duration with a unit, such "
        "as 250ms, 1.5s or 2m\n");
  CHECK(errors(kBase + "workload: {timeout: 0ms}\n") ==
        "test.yaml:5:21: error: timeout must be greater than 0, got 0ms\n");
  CHECK(errors("name: t\ndescription: d\nduration: 25h\ncluster: {nodes: 0, protocol: echo}\n") ==
        "test.yaml:3:11: error: duration must be at most 24h, got 25h\n"
        "test.yaml:4:18: error: expected a whole number from 1 to 10000, got 0\n");
  CHECK(errors(kBase + "version: 2\n") ==
        "test.yaml:5:10: error: unsupported version 2 (this capsim reads version 1)\n");
  CHECK(errors(kBase + "faults: [{at: 31s, heal: all}]\n") ==
        "test.yaml:5:15: error: at 31s is after the end of the scenario (30s)\n");
  CHECK(errors(kBase + "workload: {clients: 3, rate: 0/s}\n") ==
        "test.yaml:5:30: error: rate must be greater than 0 when there are clients\n");
}

TEST_CASE("scenario loader: names must refer to existing nodes and clients") {
  // Node names out of range, clients where a node is required, and malformed names.
  CHECK(errors(kBase + "faults: [{at: 1s, crash: n7}]\n") ==
        "test.yaml:5:26: error: unknown node 'n7': the cluster has n1..n5\n");
  CHECK(errors(kBase + "faults: [{at: 1s, skew: {node: c1, by: 1s}}]\n") ==
        "test.yaml:5:32: error: 'c1' is a client; expected a node (n1..n5)\n");
  // Crash, restart, pause and resume may target a client, which must exist.
  CHECK(errors(kBase + "faults: [{at: 1s, pause: c1}]\n") ==
        "test.yaml:5:26: error: unknown client 'c1': the workload has no clients\n");
  CHECK(errors(kBase + "workload: {clients: 2}\nfaults: [{at: 1s, crash: c2, restart_after: 1s}]\n")
            .empty());
  CHECK(errors(kBase + "workload: {clients: 2}\nnetwork: {links: [{from: c3, loss: 1%}]}\n") ==
        "test.yaml:6:26: error: unknown client 'c3': the workload has c1..c2\n");
  CHECK(errors(kBase + "network: {links: [{from: c1, loss: 1%}]}\n") ==
        "test.yaml:5:26: error: unknown client 'c1': the workload has no clients\n");
  CHECK(errors(kBase + "faults: [{at: 1s, crash: leder}]\n") ==
        "test.yaml:5:26: error: unknown target 'leder' (did you mean 'leader'?)\n");
  CHECK(errors(kBase + "faults: [{at: 1s, restart: leader}]\n") ==
        "test.yaml:5:28: error: restart cannot target 'leader' (expected a node or client name "
        "such as n1 or c1, or one of: random, all)\n");
  CHECK(errors(kBase + "workload: {route: {fixed: [n1, x1]}}\n") ==
        "test.yaml:5:32: error: expected a node name such as n1, got 'x1'\n");
}

TEST_CASE("scenario loader: partition groups are non-empty and disjoint") {
  // An empty group and a node in two groups are each reported at the offending spot.
  CHECK(errors(kBase + "faults: [{at: 1s, partition: {groups: [[n1], [], [n2, n1]]}}]\n") ==
        "test.yaml:5:46: error: a partition group cannot be empty\n"
        "test.yaml:5:55: error: node 'n1' is already in group 1\n");
  CHECK(errors(kBase + "faults: [{at: 1s, partition: halves}]\n") ==
        "test.yaml:5:30: error: unknown partition shape 'halves' (expected one of: one, majority, "
        "majorities-ring, minority-third, bridge)\n");
  CHECK(errors(kBase + "faults: [{at: 1s, partition: {isolate: follower}}]\n") ==
        "test.yaml:5:40: error: unknown role 'follower' (expected one of: leader)\n");
}

TEST_CASE("scenario loader: each fault has one verb and only its own undo") {
  // Zero or two verbs, an undo key on the wrong verb, and an undo of zero length.
  CHECK(errors(kBase + "faults: [{at: 1s}]\n") ==
        "test.yaml:5:10: error: a fault needs one of: partition, cut, heal, crash, restart, "
        "pause, resume, skew, jump\n");
  CHECK(errors(kBase + "faults: [{at: 1s, crash: n1, pause: n2}]\n") ==
        "test.yaml:5:30: error: a fault takes exactly one verb, but this one has 'crash' and "
        "'pause'\n");
  CHECK(errors(kBase + "faults: [{at: 1s, pause: n1, restart_after: 1s}]\n") ==
        "test.yaml:5:30: error: restart_after only applies to crash\n");
  CHECK(errors(kBase + "faults: [{at: 1s, crash: n1, restart_after: 0s}]\n") ==
        "test.yaml:5:45: error: restart_after must be greater than 0, got 0s\n");
  CHECK(errors(kBase + "faults: [{at: 1s, heal: n1}]\n") ==
        "test.yaml:5:25: error: heal takes only 'all', got 'n1'\n");
}

TEST_CASE("scenario loader: link rules and delays are checked") {
  // A rule without an effect, '*' inside a list, a shape on a non-pareto distribution, and
  // an inverted window.
  CHECK(errors(kBase + "network: {links: [{from: *, loss: 1%}]}\n") ==
        "test.yaml:5:27: error: invalid YAML: alias not found after * (to mean any sender or "
        "receiver, quote it: '*')\n");
  CHECK(errors(kBase + "network: {links: [{from: n1}]}\n") ==
        "test.yaml:5:19: error: a link rule needs at least one of: delay, loss, duplicate, "
        "reorder\n");
  CHECK(errors(kBase + "network: {links: [{from: [n1, '*'], loss: 1%}]}\n") ==
        "test.yaml:5:31: error: '*' means any sender or receiver and cannot be part of a list\n");
  CHECK(errors(kBase + "network: {delay: {latency: 1ms, shape: 2}}\n") ==
        "test.yaml:5:33: error: 'shape' only applies to the pareto distribution\n");
  CHECK(errors(kBase + "network: {delay: {latency: 1ms, distribution: gauss}}\n") ==
        "test.yaml:5:47: error: unknown distribution 'gauss' (expected one of: constant, uniform, "
        "normal, lognormal, exponential, pareto)\n");
  CHECK(errors(kBase + "network: {links: [{loss: 1%, during: {from: 5s, until: 2s}}]}\n") ==
        "test.yaml:5:56: error: until 2s must be after from 5s\n");
  CHECK(errors(kBase + "network: {delay: {mixture: [{latency: 1ms}], jitter: 1ms}}\n") ==
        "test.yaml:5:29: error: missing required key 'weight'\n"
        "test.yaml:5:46: error: 'jitter' cannot be combined with 'mixture'; give it in each "
        "mixture item\n");
}

TEST_CASE("scenario loader: protocols and their options are checked") {
  // Unknown protocol, unknown option, a badly typed option value, and the protocol's own
  // cross-check, which sees the cluster size.
  CHECK(errors("name: t\ndescription: d\nduration: 1s\ncluster: {nodes: 3, protocol: ecko}\n") ==
        "test.yaml:4:31: error: unknown protocol 'ecko' (did you mean 'echo'?)\n");
  CHECK(errors("name: t\ndescription: d\nduration: 1s\ncluster: {nodes: 3, protocol: raft}\n") ==
        "test.yaml:4:31: error: unknown protocol 'raft' (expected one of: echo, quiet)\n");
  const std::string head = "name: t\ndescription: d\nduration: 1s\ncluster:\n  nodes: 3\n";
  CHECK(errors(head + "  protocol: echo\n  options: {ack: 2}\n") ==
        "test.yaml:7:13: error: unknown echo option 'ack' (did you mean 'acks'?)\n");
  CHECK(errors(head + "  protocol: echo\n  options: {mode: asink}\n") ==
        "test.yaml:7:19: error: expected one of sync or async, got 'asink' (did you mean "
        "'async'?)\n");
  CHECK(errors(head + "  protocol: echo\n  options: {acks: 3}\n") ==
        "test.yaml:7:19: error: acks 3 needs more than 3 nodes\n");
  CHECK(errors(head + "  protocol: quiet\n  options: {acks: 3}\n") ==
        "test.yaml:7:13: error: protocol 'quiet' takes no options\n");
}

TEST_CASE("scenario loader: every problem in a file is reported, in file order") {
  // A file with eleven mistakes in different sections gets eleven messages, sorted by
  // position, each at its line and column.
  const LoadResult result = load_scenario_file(data_path("many_errors.yaml"), test_registry());
  CHECK_FALSE(result.scenario.has_value());
  const std::string file = data_path("many_errors.yaml");
  CHECK(result.diagnostics.format() ==
        file + ":2:7: error: name 'bad example' may only contain letters, digits, '-' and '_'\n" +
        file + ":3:14: error: description cannot be empty: say what the scenario teaches\n" +
        file + ":8:19: error: acks 7 needs more than 5 nodes\n" +
        file + ":11:9: error: rate must be greater than 0 when there are clients\n" +
        file + ":12:12: error: duration '500' has no unit; expected a duration with a unit, "
               "such as 250ms, 1.5s or 2m\n" +
        file + ":13:3: error: unknown key 'rout' (did you mean 'route'?)\n" +
        file + ":15:9: error: percentage '150%' is over 100%\n" +
        file + ":17:10: error: at 40s is after the end of the scenario (30s)\n" +
        file + ":17:22: error: unknown node 'n7': the cluster has n1..n5\n" +
        file + ":18:27: error: 'c1' is a client; expected a node (n1..n5)\n" +
        file + ":18:40: error: heal_after only applies to partition and cut\n");
}

TEST_CASE("scenario loader: --set overrides edit the YAML before validation") {
  // Overrides replace values, create missing keys, replace whole lists and reach list items
  // by index; the result is validated like the file.
  const std::string text = kBase + "faults: [{at: 1s, crash: n1}, {at: 2s, heal: all}]\n";
  const LoadResult result = load(text, {"cluster.options.acks=3", "network.delay.latency=20ms",
                                        "faults.1.at=5s", "seed=0x10", "workload={clients: 2}"});
  REQUIRE_MESSAGE(result.scenario.has_value(), result.diagnostics.format());
  const Scenario& s = *result.scenario;
  CHECK(s.cluster.options.integer("acks") == 3);
  CHECK(s.cluster.options.position("acks").origin == "--set cluster.options.acks=3");
  CHECK(s.network.defaults.delay.components().at(0).latency == 20ms);
  CHECK(s.faults.at(1).at == 5s);
  CHECK(s.seed == 16);
  CHECK(s.workload.clients == 2);
  const LoadResult cleared = load(text, {"faults=[]"});
  REQUIRE(cleared.scenario.has_value());
  CHECK(cleared.scenario->faults.empty());
}

TEST_CASE("scenario loader: bad overrides and errors in overridden values name the override") {
  // Malformed overrides are reported with their text as the origin, and so are errors found
  // later in the values they wrote; the file's own errors keep their positions.
  CHECK(errors(kBase, {"cluster.nodes"}) ==
        "--set cluster.nodes: error: expected PATH=VALUE, such as cluster.nodes=5\n");
  CHECK(errors(kBase, {"=3"}) == "--set =3: error: the path before '=' is empty\n");
  CHECK(errors(kBase, {"cluster..nodes=3"}) ==
        "--set cluster..nodes=3: error: the path 'cluster..nodes' has an empty key\n");
  CHECK(errors(kBase + "faults: [{at: 1s, heal: all}]\n", {"faults.1.at=2s"}) ==
        "--set faults.1.at=2s: error: item 1 is out of range: 'faults' has 1 item\n");
  CHECK(errors(kBase + "faults: [{at: 1s, heal: all}]\n", {"faults.first.at=2s"}) ==
        "--set faults.first.at=2s: error: 'faults' is a list: expected an item number from 0, "
        "got 'first'\n");
  CHECK(errors(kBase, {"name.x=1"}) ==
        "--set name.x=1: error: cannot set 'name.x': 'name' is a single value, not a map or a "
        "list\n");
  CHECK(errors(kBase, {"faults=[1"}) ==
        "--set faults=[1: error: invalid YAML: end of sequence flow not found\n");
  CHECK(errors(kBase, {"cluster.nodes=20000"}) ==
        "--set cluster.nodes=20000: error: expected a whole number from 1 to 10000, got 20000\n");
  CHECK(errors(kBase, {"cluster.nodez=3"}) ==
        "--set cluster.nodez=3: error: unknown key 'nodez' (did you mean 'nodes'?)\n");
  CHECK(errors(kBase + "seed: x\n", {"cluster.options.acks=7"}) ==
        "test.yaml:5:7: error: expected a seed: a whole number from 0 to 18446744073709551615, or "
        "hex such as 0x5eed, got 'x'\n"
        "--set cluster.options.acks=7: error: acks 7 needs more than 5 nodes\n");
}

TEST_CASE("scenario loader: overrides pass the same byte checks as files") {
  // Text from --set reaches the outputs as the file's does, so bytes that are not UTF-8 or a
  // NUL are refused before parsing, quoting the override with such bytes escaped.
  CHECK(errors(kBase, {"description=ab\xff" "cd"}) ==
        "--set description=ab\\xffcd: error: not valid UTF-8: byte 0xff at offset 14\n");
  CHECK(errors(kBase, {"name\xc3=x"}) ==
        "--set name\\xc3=x: error: not valid UTF-8: byte 0xc3 at offset 4\n");
  CHECK(errors(kBase, {"description=\xed\xa0\x80"}) ==  // an encoded surrogate
        "--set description=\\xed\\xa0\\x80: error: not valid UTF-8: byte 0xed at offset 12\n");
  CHECK(errors(kBase, {std::string("name=a\0b", 8)}) ==
        "--set name=a\\0...: error: not text: a NUL byte at offset 6\n");
  CHECK(errors(kBase, {"description=caf\xc3\xa9 \xe2\x98\x95"}) == "");
}

TEST_CASE("scenario loader: files that cannot be read, or are empty, give one message") {
  // Missing files, directories, empty files and files of only comments.
  const std::string missing = temp_path("does_not_exist.yaml");
  std::filesystem::remove(missing);
  LoadResult result = load_scenario_file(missing, test_registry());
  CHECK_FALSE(result.scenario.has_value());
  CHECK(result.diagnostics.format() ==
        missing + ": error: cannot read " + missing + ": No such file or directory\n");
  const std::string directory = std::filesystem::temp_directory_path().string();
  CHECK(load_scenario_file(directory, test_registry()).diagnostics.format() ==
        directory + ": error: cannot read " + directory + ": Is a directory\n");
  CHECK(errors("") == "test.yaml: error: the scenario is empty\n");
  CHECK(errors("# only a comment\n\n# and another\n") == "test.yaml: error: the scenario is empty\n");
}

TEST_CASE("scenario loader: oversized and binary input is refused with its offset") {
  // A file over 1 MiB (read from disk), a NUL byte, and bytes that are not UTF-8.
  const std::string big_path = temp_path("big.yaml");
  {
    std::ofstream big(big_path, std::ios::binary);
    big << kBase << "description2: |\n";
    const std::string line(1023, 'x');
    for (int i = 0; i < 1025; ++i) big << "  " << line << "\n";
  }
  CHECK(load_scenario_file(big_path, test_registry()).diagnostics.format() ==
        big_path + ": error: the file is larger than 1 MiB\n");
  std::filesystem::remove(big_path);
  CHECK(errors(std::string("name: a\0b\n", 10)) ==
        "test.yaml: error: the file is not text: a NUL byte at offset 7\n");
  CHECK(errors("name: caf\xe9\n") ==
        "test.yaml: error: the file is not valid UTF-8: byte 0xe9 at offset 9\n");
  CHECK(errors("name: \xed\xa0\x80\n") ==  // an encoded surrogate
        "test.yaml: error: the file is not valid UTF-8: byte 0xed at offset 6\n");
  // Multi-byte UTF-8 is text like any other.
  CHECK(errors("name: t\ndescription: caf\xc3\xa9 \xe2\x98\x95\nduration: 1s\n"
               "cluster: {nodes: 1, protocol: quiet}\n") == "");
}

TEST_CASE("scenario loader: syntax errors, bad nesting and odd documents") {
  // yaml-cpp's syntax errors keep their position; nesting past 32 levels, self-referencing
  // aliases, a second document and a top level that is not a map are each one message.
  CHECK(errors(kBase + "faults: [{at: 1s\n") ==
        "test.yaml:6:1: error: invalid YAML: end of map flow not found\n");
  std::string deep = "a: ";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  CHECK(errors(deep + "\n") == "test.yaml:1:35: error: nesting is deeper than 32 levels\n");
  const std::string very_deep = "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  CHECK(errors(very_deep) == "test.yaml: error: nesting is deeper than 32 levels\n");
  CHECK(errors("a: &loop [*loop]\n").find("nesting is deeper than 32 levels") !=
        std::string::npos);
  std::string laughs = "a: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 8; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    laughs += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev + ", " + prev +
              ", " + prev + ", " + prev + ", " + prev + ", " + prev + ", " + prev + ", " + prev +
              ", " + prev + ", " + prev + "]\n";
  }
  CHECK(errors(laughs).find("the scenario has more than 100000 values (aliases counted as "
                            "copies)") != std::string::npos);
  CHECK(errors(kBase + "---\nname: u\n") ==
        "test.yaml:5:1: error: a second YAML document ('---'): a scenario is a single document\n");
  CHECK(errors("- name: t\n") ==
        "test.yaml:1:1: error: expected a map of keys such as name, duration and cluster at the "
        "top level, got a list\n");
  CHECK(errors(kBase + "seed: 1\nseed: 2\n") ==
        "test.yaml:6:1: error: duplicate key 'seed' (first given at line 5)\n");
}

namespace {

// The loader's messages for `text`, from a child process that gets 5 seconds and 1 GiB: a
// loader that hangs or grows without bound fails the test instead of stalling the suite.
std::string bounded_errors(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const testing::BoundedOutcome outcome =
      testing::bounded_call([&] { return load(text, overrides).diagnostics.format(); });
  INFO("input: '" << text << "'");
  CHECK_MESSAGE(outcome.finished, outcome.failure);
  return outcome.text;
}

const std::string kStrayComma =
    "error: invalid YAML: ',' outside [...] or {...}: commas separate items only in a flow list "
    "or map (quote the text if the comma belongs to it)\n";

}  // namespace

TEST_CASE("scenario loader: a ',' outside [...] or {...} is a syntax error, never a hang") {
  // yaml-cpp 0.7 loops for ever, allocating, when a stray comma stands where a document's top
  // node should be (yaml-cpp issue 1040). Each input runs in a bounded child process: alone,
  // after comments, blank lines, '---', a directive or a finished top node, and in a --set
  // value; inside a block collection the comma is yaml-cpp's own syntax error.
  CHECK(bounded_errors(",") == "test.yaml:1:1: " + kStrayComma);
  CHECK(bounded_errors(", x") == "test.yaml:1:1: " + kStrayComma);
  CHECK(bounded_errors(",\n") == "test.yaml:1:1: " + kStrayComma);
  CHECK(bounded_errors("# a comment\n\n   , x\n") == "test.yaml:3:4: " + kStrayComma);
  CHECK(bounded_errors("--- ,\n") == "test.yaml:1:5: " + kStrayComma);
  CHECK(bounded_errors("---\n# c\n,\n") == "test.yaml:3:1: " + kStrayComma);
  CHECK(bounded_errors("%YAML 1.2\n---\n,\n") == "test.yaml:3:1: " + kStrayComma);
  CHECK(bounded_errors("\xef\xbb\xbf,\n") == "test.yaml:1:1: " + kStrayComma);  // after a BOM
  CHECK(bounded_errors("!!map ,\n") == "test.yaml:1:7: " + kStrayComma);
  CHECK(bounded_errors("&a ,\n") == "test.yaml:1:4: " + kStrayComma);
  CHECK(bounded_errors("[a], b\n") == "test.yaml:1:4: " + kStrayComma);
  CHECK(bounded_errors("{name: t}, x\n") == "test.yaml:1:10: " + kStrayComma);
  CHECK(bounded_errors("\"t\", x\n") == "test.yaml:1:4: " + kStrayComma);
  CHECK(bounded_errors("- a\n, b\n") == "test.yaml:2:1: " + kStrayComma);
  CHECK(bounded_errors(kBase + "...\n,\n") == "test.yaml:6:1: " + kStrayComma);
  CHECK(bounded_errors("|\n  a, b\n,\n") == "test.yaml:3:1: " + kStrayComma);
  // Inside a block map or list, yaml-cpp stops at the comma itself; the message says why.
  const std::string hint = kStrayComma.substr(std::string("error: invalid YAML: ").size());
  CHECK(bounded_errors("- ,\n") ==
        "test.yaml:1:3: error: invalid YAML: end of sequence not found; " + hint);
  CHECK(bounded_errors("a: ,\n") == "test.yaml:1:4: error: invalid YAML: end of map not found; " + hint);
  CHECK(bounded_errors(kBase + ",\n") ==
        "test.yaml:5:1: error: invalid YAML: end of map not found; " + hint);
  CHECK(bounded_errors("- !+(.,.)\n") ==
        "test.yaml:1:7: error: invalid YAML: end of sequence not found; " + hint);
  // A comma inside text or a flow collection is still just that.
  CHECK(bounded_errors("name: t\ndescription: a, b, c\nduration: 1s\n"
                       "cluster: {nodes: 1, protocol: quiet, }\n") == "");
  // The same from --set, whose value is YAML too.
  CHECK(bounded_errors(kBase, {"name=,"}) == "--set name=,: " + kStrayComma);
  CHECK(bounded_errors(kBase, {"name=, x"}) == "--set name=, x: " + kStrayComma);
  CHECK(bounded_errors(kBase, {"faults=[], x"}) == "--set faults=[], x: " + kStrayComma);
  CHECK(bounded_errors(kBase, {"name=- ,"}) ==
        "--set name=- ,: error: invalid YAML: end of sequence not found; " + hint);
}

TEST_CASE("scenario loader: a file holding only ',' is refused within bounds") {
  // The one-byte file of yaml-cpp issue 1040, read from disk as `capsim run` reads it.
  const std::string path = temp_path("comma.yaml");
  std::ofstream(path, std::ios::binary) << ",";
  const testing::BoundedOutcome outcome = testing::bounded_call(
      [&] { return load_scenario_file(path, test_registry()).diagnostics.format(); });
  std::filesystem::remove(path);
  REQUIRE_MESSAGE(outcome.finished, outcome.failure);
  CHECK(outcome.text == path + ":1:1: " + kStrayComma);
}

TEST_CASE("scenario loader: nemesis settings are checked") {
  // Kinds that cannot be drawn at random, unknown kinds, and a stop before the start.
  CHECK(errors(kBase + "nemesis: {faults: [heal, crush, crash, crash]}\n") ==
        "test.yaml:5:20: error: the nemesis cannot draw 'heal' (expected one of: partition, cut, "
        "crash, pause, skew, jump)\n"
        "test.yaml:5:26: error: unknown fault kind 'crush' (did you mean 'crash'?)\n"
        "test.yaml:5:40: error: fault kind 'crash' is listed twice\n");
  CHECK(errors(kBase + "nemesis: {faults: [crash], start: 5s, stop: 2s}\n") ==
        "test.yaml:5:45: error: stop 2s is before start 5s\n");
  CHECK(errors(kBase + "nemesis: {interval: 1s}\n") ==
        "test.yaml:5:10: error: missing required key 'faults'\n");
}

TEST_CASE("scenario loader: the workload's quiet period must leave time for operations") {
  // quiet is a non-negative duration shorter than the run.
  const std::string text = "name: q\ndescription: d\nduration: 10s\ncluster: {nodes: 2, protocol: echo}\n"
                           "workload: {clients: 1, quiet: 10s}\n";
  const LoadResult result = load_scenario_text(text, "q.yaml", test_registry());
  CHECK(result.diagnostics.format() ==
        "q.yaml:5:31: error: quiet 10s leaves no time for operations: the scenario lasts 10s\n");
  const LoadResult ok = load_scenario_text(
      "name: q\ndescription: d\nduration: 10s\ncluster: {nodes: 2, protocol: echo}\n"
      "workload: {clients: 1, quiet: 2s}\n", "q.yaml", test_registry());
  REQUIRE(ok.scenario.has_value());
  CHECK(ok.scenario->workload.quiet == 2s);
}

TEST_CASE("scenario loader: clients are placed next to nodes") {
  // spread by default: client i by node i % nodes.
  const LoadResult spread = load(kBase + "workload: {clients: 7}\n");
  REQUIRE(spread.scenario);
  CHECK(spread.scenario->workload.placement.empty());
  CHECK(spread.scenario->workload.home_of(0, 5) == 0);
  CHECK(spread.scenario->workload.home_of(6, 5) == 1);
  // A list, cycled.
  const LoadResult listed = load(kBase + "workload: {clients: 3, placement: [n2, n4]}\n");
  REQUIRE(listed.scenario);
  CHECK(listed.scenario->workload.home_of(0, 5) == 1);
  CHECK(listed.scenario->workload.home_of(1, 5) == 3);
  CHECK(listed.scenario->workload.home_of(2, 5) == 1);
  // A fixed route places each client by its node unless a placement is given.
  const LoadResult fixed = load(kBase + "workload: {clients: 2, route: {fixed: [n3, n5]}}\n");
  REQUIRE(fixed.scenario);
  CHECK(fixed.scenario->workload.home_of(1, 5) == 4);
  const LoadResult both =
      load(kBase + "workload: {clients: 2, route: {fixed: [n3, n5]}, placement: spread}\n");
  REQUIRE(both.scenario);
  CHECK(both.scenario->workload.home_of(1, 5) == 1);
  // Mistakes, at the offending spot.
  CHECK(errors(kBase + "workload: {clients: 2, placement: [n2, n9]}\n") ==
        "test.yaml:5:40: error: unknown node 'n9': the cluster has n1..n5\n");
  CHECK(errors(kBase + "workload: {clients: 2, placement: []}\n") ==
        "test.yaml:5:35: error: placement needs at least one node, as in [n1, n2]\n");
  CHECK(errors(kBase + "workload: {clients: 2, placement: near}\n") ==
        "test.yaml:5:35: error: unknown placement 'near' (expected one of: spread) (or a list of "
        "nodes such as [n1, n1, n2])\n");
}

TEST_CASE("scenario loader: partition groups may name clients, each once") {
  const LoadResult named = load(kBase + "workload: {clients: 2}\n"
                                        "faults: [{at: 1s, partition: {groups: [[n1, c1], [c2]]}}]\n");
  REQUIRE(named.scenario);
  REQUIRE(named.scenario->faults.size() == 1);
  // Clients have ids after the nodes: c1 is 5, c2 is 6.
  CHECK(named.scenario->faults[0].groups == std::vector<std::vector<NodeId>>{{0, 5}, {6}});
  CHECK(errors(kBase + "workload: {clients: 2}\n"
                       "faults: [{at: 1s, partition: {groups: [[n1, c1], [c1]]}}]\n") ==
        "test.yaml:6:51: error: client 'c1' is already in group 1\n");
  CHECK(errors(kBase + "workload: {clients: 2}\n"
                       "faults: [{at: 1s, partition: {groups: [[n1, c3]]}}]\n") ==
        "test.yaml:6:45: error: unknown client 'c3': the workload has c1..c2\n");
}
