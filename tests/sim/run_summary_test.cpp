#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/run_summary.h"
#include "support/scenario_run.h"

using namespace capsim;

namespace {

HistoryEvent event(Time t, std::uint64_t process, OpType type, std::string f, std::string node) {
  HistoryEvent e;
  e.time = t;
  e.process = process;
  e.type = type;
  e.f = std::move(f);
  e.key = "k1";
  e.node = std::move(node);
  return e;
}

Scenario five_node_scenario() {
  Scenario scenario;
  scenario.path = "scenarios/cap/x.yaml";
  scenario.name = "x";
  scenario.seed = 42;
  scenario.duration = 30s;
  scenario.cluster.nodes = 5;
  scenario.cluster.protocol = "primary-backup";
  scenario.workload.clients = 2;
  return scenario;
}

}  // namespace

TEST_CASE("summary: nearest-rank percentiles pick an observed value") {
  // Nearest rank takes the value at rank ceil(p * n / 100): never an interpolation.
  std::vector<Duration> ten;
  for (int i = 1; i <= 10; ++i) ten.push_back(Duration{i * 100});
  CHECK(nearest_rank(ten, 50) == Duration{500});
  CHECK(nearest_rank(ten, 99) == Duration{1000});
  CHECK(nearest_rank(ten, 100) == Duration{1000});
  CHECK(nearest_rank(ten, 1) == Duration{100});
  const std::vector<Duration> one{Duration{7}};
  CHECK(nearest_rank(one, 50) == Duration{7});
  CHECK(nearest_rank(one, 99) == Duration{7});
  std::vector<Duration> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(Duration{i});
  CHECK(nearest_rank(hundred, 99) == Duration{99});
  CHECK(nearest_rank(hundred, 50) == Duration{50});
}

TEST_CASE("summary: operations are counted by outcome, pending ones included") {
  // Three processes: one ok, one that times out (info) and then invokes again as a new
  // process without an answer, one fail. Counts per f and overall must add up.
  RunResult result;
  result.history.add(event(1ms, 1, OpType::kInvoke, "write", "n1"));
  result.history.add(event(2ms, 2, OpType::kInvoke, "read", "n2"));
  result.history.add(event(3ms, 1, OpType::kOk, "write", "n1"));
  result.history.add(event(4ms, 3, OpType::kInvoke, "read", "n3"));
  result.history.add(event(5ms, 3, OpType::kFail, "read", "n3"));
  result.history.add(event(502ms, 2, OpType::kInfo, "read", ""));
  result.history.add(event(503ms, 4, OpType::kInvoke, "write", "n4"));
  const RunSummary summary = summarize_run(five_node_scenario(), result, {});
  CHECK(summary.operations == OpCounts{4, 1, 1, 1, 1});
  CHECK(summary.operations_by_f.at("write") == OpCounts{2, 1, 0, 0, 1});
  CHECK(summary.operations_by_f.at("read") == OpCounts{2, 0, 1, 1, 0});
  CHECK(summary.latency.count == 1);
  CHECK(summary.latency.max == 2ms);
  CHECK(availability(summary.operations.ok, summary.operations.invoked) == 0.25);
}

TEST_CASE("summary: a fail that answered is available, a refusal is not") {
  // A cas answered "cas mismatch" is a response (Gilbert and Lynch); a read refused for want of
  // a leader is not. Both are fails; only the first is answered.
  RunResult result;
  result.history.add(event(1ms, 1, OpType::kInvoke, "cas", "n1"));
  HistoryEvent mismatch = event(2ms, 1, OpType::kFail, "cas", "n1");
  mismatch.error = "cas mismatch";
  mismatch.answered = true;
  result.history.add(mismatch);
  result.history.add(event(3ms, 2, OpType::kInvoke, "read", "n2"));
  HistoryEvent refusal = event(4ms, 2, OpType::kFail, "read", "n2");
  refusal.error = "no leader known";
  result.history.add(refusal);
  const RunSummary summary = summarize_run(five_node_scenario(), result, {});
  CHECK(summary.operations.fail == 2);
  CHECK(summary.operations.answered_fail == 1);
  CHECK(summary.operations.answered() == 1);
  CHECK(summary.operations.refused() == 1);
  CHECK(availability(summary.operations) == 0.5);
  CHECK(availability(summary.operations_by_f.at("cas")) == 1.0);
  CHECK(availability(summary.operations_by_f.at("read")) == 0.0);
  CHECK(format_verdict_line(summary) == "x seed 42: 2 operations, 50.0% available");
}

TEST_CASE("summary: a completion without an open invoke is ignored") {
  // A stray completion must not be counted as an operation or matched to a later invoke.
  RunResult result;
  result.history.add(event(1ms, 9, OpType::kOk, "read", "n1"));
  result.history.add(event(2ms, 9, OpType::kInvoke, "read", "n1"));
  const RunSummary summary = summarize_run(five_node_scenario(), result, {});
  CHECK(summary.operations == OpCounts{1, 0, 0, 0, 1});
  CHECK(summary.latency.count == 0);
}

TEST_CASE("summary: latency percentiles cover ok operations only") {
  // 100 operations with latencies 1ms..100ms, plus one slow fail that must not count.
  RunResult result;
  for (int i = 1; i <= 100; ++i) {
    result.history.add(event(Time{i * 1s}, i, OpType::kInvoke, "read", "n1"));
    result.history.add(event(Time{i * 1s + i * 1ms}, i, OpType::kOk, "read", "n1"));
  }
  result.history.add(event(200s, 500, OpType::kInvoke, "read", "n1"));
  result.history.add(event(210s, 500, OpType::kFail, "read", "n1"));
  const RunSummary summary = summarize_run(five_node_scenario(), result, {});
  CHECK(summary.latency.count == 100);
  CHECK(summary.latency.p50 == 50ms);
  CHECK(summary.latency.p99 == 99ms);
  CHECK(summary.latency.max == 100ms);
}

TEST_CASE("summary: availability is split by the side of the node that was asked") {
  // A window [10s, 20s) with sides {n1 n2} and {n3 n4 n5}. Operations sent to n1 during the
  // window time out; those sent to n3 succeed even when the answer comes after the window.
  // Operations invoked outside the window do not count for it.
  RunResult result;
  result.partitions.push_back(
      PartitionWindow{10s, 20s, {{0, 1}, {2, 3, 4}}, "[n1 n2] | [n3 n4 n5]", {}});
  result.history.add(event(5s, 1, OpType::kInvoke, "write", "n1"));  // before the window
  result.history.add(event(5s + 1ms, 1, OpType::kOk, "write", "n1"));
  result.history.add(event(11s, 2, OpType::kInvoke, "write", "n1"));  // minority side
  result.history.add(event(11s + 500ms, 2, OpType::kInfo, "write", ""));
  result.history.add(event(12s, 3, OpType::kInvoke, "read", "n2"));  // minority side
  result.history.add(event(12s + 1ms, 3, OpType::kFail, "read", "n2"));
  result.history.add(event(13s, 4, OpType::kInvoke, "read", "n3"));  // majority side
  result.history.add(event(13s + 1ms, 4, OpType::kOk, "read", "n3"));
  result.history.add(event(19s + 999ms, 5, OpType::kInvoke, "read", "n5"));  // answered later
  result.history.add(event(20s + 5ms, 5, OpType::kOk, "read", "n5"));
  result.history.add(event(20s, 6, OpType::kInvoke, "read", "n5"));  // window has ended
  const RunSummary summary = summarize_run(five_node_scenario(), result, {});
  REQUIRE(summary.partitions.size() == 1);
  const WindowAvailability& window = summary.partitions[0];
  REQUIRE(window.sides.size() == 2);
  CHECK(window.sides[0].nodes == std::vector<std::string>{"n1", "n2"});
  CHECK(window.sides[0].invoked == 2);
  CHECK(window.sides[0].ok == 0);
  CHECK(window.sides[1].nodes == std::vector<std::string>{"n3", "n4", "n5"});
  CHECK(window.sides[1].invoked == 2);
  CHECK(window.sides[1].ok == 2);
  CHECK(format_percent(availability(window.sides[0].ok, window.sides[0].invoked)) == "0.0%");
  CHECK(format_percent(availability(window.sides[1].ok, window.sides[1].invoked)) == "100.0%");
}

TEST_CASE("summary: a window still open at the end takes every later operation") {
  // With no end, every operation invoked from the window's start belongs to it.
  RunResult result;
  result.partitions.push_back(
      PartitionWindow{10s, std::nullopt, {{0}, {1, 2, 3, 4}}, "[n1] | [n2 n3 n4 n5]", {}});
  result.history.add(event(25s, 1, OpType::kInvoke, "read", "n1"));
  result.history.add(event(29s, 2, OpType::kInvoke, "read", "n2"));
  result.history.add(event(29s + 1ms, 2, OpType::kOk, "read", "n2"));
  const RunSummary summary = summarize_run(five_node_scenario(), result, {});
  REQUIRE(summary.partitions.size() == 1);
  CHECK(summary.partitions[0].sides[0].invoked == 1);
  CHECK(summary.partitions[0].sides[0].ok == 0);
  CHECK(summary.partitions[0].sides[1].invoked == 1);
  CHECK(summary.partitions[0].sides[1].ok == 1);
}

TEST_CASE("summary: the reproduce command repeats the seed and every --set, quoted") {
  // Overrides are repeated in order; a word with shell-special characters is single-quoted.
  CHECK(reproduce_command("scenarios/cap/x.yaml", 42, {}) ==
        "capsim run scenarios/cap/x.yaml --seed 42");
  CHECK(reproduce_command("my dir/x.yaml", 7, {"cluster.nodes=5", "workload.mix={read: 1}"}) ==
        "capsim run 'my dir/x.yaml' --seed 7 --set cluster.nodes=5 --set 'workload.mix={read: 1}'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
  const RunSummary summary = summarize_run(five_node_scenario(), RunResult{}, {"duration=5s"});
  CHECK(summary.reproduce == "capsim run scenarios/cap/x.yaml --seed 42 --set duration=5s");
}

TEST_CASE("summary: percentages show one decimal, and nothing to divide shows a dash") {
  // 2 of 3 is 66.7%; zero invoked operations have no availability at all.
  CHECK(format_percent(availability(2, 3)) == "66.7%");
  CHECK(format_percent(availability(0, 0)) == "-");
  CHECK_FALSE(availability(5, 0).has_value());
}

TEST_CASE("summary: the text shows counts, sides, latency, messages and the hash") {
  // The terminal rendering carries every figure a reader needs, in aligned rows.
  RunResult result;
  result.partitions.push_back(
      PartitionWindow{10s, 20s, {{0, 1}, {2, 3, 4}}, "[n1 n2] | [n3 n4 n5]", {}});
  result.history.add(event(11s, 1, OpType::kInvoke, "write", "n3"));
  result.history.add(event(11s + 1234567ns, 1, OpType::kOk, "write", "n3"));
  result.history.add(event(12s, 2, OpType::kInvoke, "cas", "n3"));
  HistoryEvent mismatch = event(12s + 1ms, 2, OpType::kFail, "cas", "n3");
  mismatch.answered = true;
  result.history.add(mismatch);
  result.history.add(event(13s, 3, OpType::kInvoke, "read", "n1"));
  result.history.add(event(13s + 1ms, 3, OpType::kFail, "read", "n1"));
  result.history.add(event(14s, 4, OpType::kInvoke, "read", "n1"));
  result.messages.sent = 10;
  result.messages.delivered = 7;
  result.messages.dropped["partition"] = 3;
  result.trace_hash = 0xabcdef;
  result.trace_lines = 20;
  result.events = 30;
  const std::string text = format_summary_text(summarize_run(five_node_scenario(), result, {}));
  // ok, answered-fail and refused side by side; info and pending are part of the refused.
  CHECK(text.find("operations  invoked  ok  answered-fail  refused  info  pending  available\n"
                  "  all             4   1              1        2     0        1      50.0%\n"
                  "  cas             1   0              1        0     0        0     100.0%\n"
                  "  read            2   0              0        2     0        1       0.0%\n"
                  "  write           1   1              0        0     0        0     100.0%\n") !=
        std::string::npos);
  // Without a placement of clients (none here) an operation counts where it was sent.
  CHECK(text.find("partition 10.000s..20.000s  [n1 n2] | [n3 n4 n5]\n"
                  "  side (nodes, clients)  invoked  ok  answered-fail  refused  available\n"
                  "  [n1 n2]                      2   0              0        2       0.0%\n"
                  "  [n3 n4 n5]                   2   1              1        0     100.0%\n") !=
        std::string::npos);
  CHECK(text.find("latency   p50 1.23ms  p99 1.23ms  max 1.23ms  (1 ok)\n"
                  "  cas     none ok\n"
                  "  read    none ok\n"
                  "  write   p50 1.23ms  p99 1.23ms  max 1.23ms  (1 ok)\n") != std::string::npos);
  CHECK(text.find("dropped 3 (partition 3)") != std::string::npos);
  CHECK(text.find("0x0000000000abcdef  20 lines  30 events") != std::string::npos);
}

TEST_CASE("summary: summary.json holds exact figures under sorted keys") {
  // Programs read summary.json: latencies in whole nanoseconds, the hash as text, null for
  // an availability with nothing invoked and for a window that never ended.
  RunResult result;
  result.partitions.push_back(
      PartitionWindow{10s, std::nullopt, {{0}, {1, 2, 3, 4}}, "[n1] | [n2 n3 n4 n5]", {}});
  result.history.add(event(1s, 1, OpType::kInvoke, "read", "n2"));
  result.history.add(event(1s + 1234567ns, 1, OpType::kOk, "read", "n2"));
  result.trace_hash = 0x1f2e3d4c5b6a7988ULL;
  const std::string text =
      format_summary_json(summarize_run(five_node_scenario(), result, {"seed=1"}));
  CHECK(text.back() == '\n');
  const nlohmann::json json = nlohmann::json::parse(text);
  CHECK(json["seed"] == 42);
  CHECK(json["latency_ns"]["p50"] == 1234567);
  CHECK(json["operations"]["availability"] == 1.0);
  CHECK(json["operations_by_f"]["read"]["ok"] == 1);
  CHECK(json["operations_by_f"]["read"]["answered_fail"] == 0);
  CHECK(json["operations_by_f"]["read"]["refused"] == 0);
  CHECK(json["partitions"][0]["end_ns"].is_null());
  CHECK(json["partitions"][0]["sides"][1]["answered_fail"] == 0);
  CHECK(json["partitions"][0]["sides"][0]["availability"].is_null());
  CHECK(json["trace"]["hash"] == "0x1f2e3d4c5b6a7988");
  CHECK(json["reproduce"] == "capsim run scenarios/cap/x.yaml --seed 42 --set seed=1");
  CHECK(text.find("\"capsim_version\"") < text.find("\"events\""));  // sorted keys
}

TEST_CASE("run summary: every fault is listed with what it hit, and one that did nothing says why") {
  // With 200ms of latency Raft elects no leader in time, so "isolate the leader" finds none and
  // the heal after it has no cut to heal.
  const capsim::Scenario scenario = capsim::testing::load_scenario_or_fail(
      capsim::testing::shipped_scenario_path("cap/raft-partition.yaml"),
      {"network.delay.latency=200ms"});
  capsim::Simulation simulation(scenario, capsim::testing::all_protocols(), nullptr);
  const capsim::RunResult result = simulation.run();
  const capsim::RunSummary summary = capsim::summarize_run(scenario, result, {});
  REQUIRE(summary.faults.size() == 2);
  CHECK(summary.faults[0].kind == "partition");
  CHECK(summary.faults[0].skipped == "no node holds the role 'leader'");
  CHECK(summary.faults[1].skipped == "no link was cut");
  const std::string text = capsim::format_summary_text(summary);
  CHECK(text.find("\nwhat happened  2 faults (2 did nothing), ") != std::string::npos);
  CHECK(text.find("  fault  partition skipped: no node holds the role 'leader'\n") !=
        std::string::npos);
  CHECK(text.find("  fault  heal skipped: no link was cut\n") != std::string::npos);
  // On its own latency the leader is found and isolated.
  const capsim::Scenario plain = capsim::testing::load_scenario_or_fail(
      capsim::testing::shipped_scenario_path("cap/raft-partition.yaml"));
  capsim::Simulation again(plain, capsim::testing::all_protocols(), nullptr);
  const capsim::RunSummary normal = capsim::summarize_run(plain, again.run(), {});
  REQUIRE(normal.faults.size() == 2);
  CHECK(normal.faults[0].skipped.empty());
  CHECK(normal.faults[0].hit.find(" | ") != std::string::npos);
  CHECK(normal.faults[1].hit == "every cut link");
  const nlohmann::json json = nlohmann::json::parse(capsim::format_summary_json(normal));
  CHECK(json["faults"].size() == 2);
  CHECK(json["faults"][0]["skipped"].is_null());
}

TEST_CASE("summary: partition sides count the operations of the clients standing on them") {
  // Two clients: c1 next to n1, c2 next to n3. c1's operation went to n3 across the cut and
  // timed out; it counts on c1's side [n1 n2], not on the side of the node it was sent to. A
  // client the partition names (c2 in the first group) stands there instead of by its home.
  RunResult result;
  result.client_homes = {0, 2};
  result.partitions.push_back(
      PartitionWindow{10s, 20s, {{0, 1}, {2, 3, 4}}, "[n1 n2] | [n3 n4 n5]", {}});
  result.history.add(event(11s, 0, OpType::kInvoke, "write", "n3"));
  result.history.add(event(11s + 500ms, 0, OpType::kInfo, "write", "n3"));
  result.history.add(event(12s, 1, OpType::kInvoke, "read", "n3"));
  result.history.add(event(12s + 1ms, 1, OpType::kOk, "read", "n3"));
  result.history.add(event(13s, 3, OpType::kInvoke, "read", "n4"));  // c2 again (3 % 2 == 1)
  result.history.add(event(13s + 1ms, 3, OpType::kOk, "read", "n4"));
  const RunSummary by_home = summarize_run(five_node_scenario(), result, {});
  REQUIRE(by_home.partitions.size() == 1);
  REQUIRE(by_home.partitions[0].sides.size() == 2);
  const SideAvailability& first = by_home.partitions[0].sides[0];
  const SideAvailability& second = by_home.partitions[0].sides[1];
  CHECK(first.clients == std::vector<std::string>{"c1"});
  CHECK(first.invoked == 1);
  CHECK(first.ok == 0);
  CHECK(second.clients == std::vector<std::string>{"c2"});
  CHECK(second.invoked == 2);
  CHECK(second.ok == 2);
  CHECK(format_summary_text(by_home).find("  [n1 n2] c1 ") != std::string::npos);

  result.partitions[0].named_clients = {{1, {0}}};
  const RunSummary named = summarize_run(five_node_scenario(), result, {});
  CHECK(named.partitions[0].sides[0].clients == std::vector<std::string>{"c1", "c2"});
  CHECK(named.partitions[0].sides[0].invoked == 3);
  CHECK(named.partitions[0].sides[1].clients.empty());
  CHECK(named.partitions[0].sides[1].invoked == 0);
}

TEST_CASE("summary: an operation kind with a long name keeps the facts aligned") {
  // "  increment" is longer than the facts' usual label column.
  RunResult result;
  result.history.add(event(1s, 1, OpType::kInvoke, "increment", "n1"));
  result.history.add(event(1s + 2ms, 1, OpType::kOk, "increment", "n1"));
  result.history.add(event(2s, 1, OpType::kInvoke, "read", "n1"));
  result.history.add(event(2s + 1ms, 1, OpType::kOk, "read", "n1"));
  const std::string text = format_summary_text(summarize_run(five_node_scenario(), result, {}));
  CHECK(text.find("  increment p50 2ms") != std::string::npos);
  CHECK(text.find("latency     p50") != std::string::npos);
}

TEST_CASE("what happened: faults and node events in the order they happened, bounded on screen") {
  // A restart at 5s and the election it causes share the instant: the event is placed after the
  // fault because it was recorded after it. Past kStoryShown entries the terminal shows the
  // first and the last ones and counts the rest; summary.json keeps every entry.
  RunResult result;
  result.faults.push_back(FaultOutcome{5s, "restart", false, "n2", ""});
  result.faults.push_back(FaultOutcome{9s, "crash", true, "", "no node holds the role 'leader'"});
  result.node_events.push_back(
      RecordedNodeEvent{1500ms, 0, 0, NodeEvent{NodeEventKind::kElected, 1, 0, "elected leader (term 1)"}});
  result.node_events.push_back(
      RecordedNodeEvent{5s, 1, 1, NodeEvent{NodeEventKind::kElected, 2, 0, "elected leader (term 2)"}});
  const RunStory story = build_story(result, 3);
  REQUIRE(story.entries.size() == 4);
  CHECK(story.entries[0].source == "n1");
  CHECK(story.entries[1].kind == "restart");
  CHECK(story.entries[2].text == "elected leader (term 2)");
  CHECK(story.entries[2].source == "n2");
  CHECK(story.entries[3].source == "nemesis");
  CHECK(story.entries[3].skipped);
  CHECK(format_story_text(story) ==
        "\nwhat happened  2 faults (1 did nothing), 2 node events: elected 2\n"
        "  1.5s  n1       elected leader (term 1)\n"
        "    5s  fault    restart n2\n"
        "    5s  n2       elected leader (term 2)\n"
        "    9s  nemesis  crash skipped: no node holds the role 'leader'\n");

  for (int i = 0; i < 30; ++i) {
    result.node_events.push_back(RecordedNodeEvent{
        Time{10s + i * 1s}, 2, 2, NodeEvent{NodeEventKind::kHandoff, 0, 1, "handed off 1 hint to n1"}});
  }
  const RunStory long_story = build_story(result, 3);
  REQUIRE(long_story.entries.size() == 34);
  const std::string text = format_story_text(long_story);
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  CHECK(lines == 1 + 1 + kStoryShown);  // the blank line, the header, the shown lines
  CHECK(text.find("  ... 15 more (summary.json has all)\n") != std::string::npos);
  CHECK(text.find(" 39s  n3 ") != std::string::npos);  // the last entry is shown
  CHECK(text.find(" 20s  n3 ") == std::string::npos);  // one from the middle is not
  RunSummary summary;
  summary.story = long_story;
  const nlohmann::json json = nlohmann::json::parse(format_summary_json(summary));
  REQUIRE(json["what_happened"].size() == 34);
  CHECK(json["what_happened"][2]["at_ns"] == 5'000'000'000);
  CHECK(json["what_happened"][2]["term"] == 2);
  CHECK(json["what_happened"][3]["skipped"] == true);
  CHECK(json["what_happened"][33]["count"] == 1);
}

TEST_CASE("what happened: raft-partition tells its elections, the isolation and the step-down") {
  // The story of the shipped scenario, read from the run itself: a leader of term 1, the
  // partition isolating that very node, a new leader of a higher term elected among the others
  // while it lasts, the heal, and the old leader stepping down and dropping what it appended
  // alone.
  const Scenario scenario = capsim::testing::load_scenario_or_fail(
      capsim::testing::shipped_scenario_path("cap/raft-partition.yaml"));
  Simulation simulation(scenario, capsim::testing::all_protocols(), nullptr);
  const RunSummary summary = summarize_run(scenario, simulation.run(), {});
  const std::vector<StoryEntry>& story = summary.story.entries;
  REQUIRE(story.size() >= 5);
  CHECK(story[0].kind == "elected");
  CHECK(story[0].term == 1);
  const std::string first_leader = story[0].source;
  const auto partition = std::find_if(story.begin(), story.end(),
                                      [](const StoryEntry& e) { return e.kind == "partition"; });
  REQUIRE(partition != story.end());
  std::string others;
  for (std::uint32_t i = 1; i <= 5; ++i) {
    const std::string node = "n" + std::to_string(i);
    if (node != first_leader) others += (others.empty() ? "" : " ") + node;
  }
  CHECK(partition->text == "partition [" + first_leader + "] | [" + others + "]");
  const auto second = std::find_if(partition, story.end(),
                                   [](const StoryEntry& e) { return e.kind == "elected"; });
  REQUIRE(second != story.end());
  CHECK(second->source != first_leader);
  CHECK(second->term > 1);
  CHECK(second->at < 20s);
  const auto down = std::find_if(second, story.end(),
                                 [](const StoryEntry& e) { return e.kind == "stepped-down"; });
  REQUIRE(down != story.end());
  CHECK(down->source == first_leader);
  CHECK(down->at >= 20s);
  CHECK(down->text == "stepped down as leader of term 1 (saw term " + std::to_string(down->term) +
                          ")");
  const std::string text = format_summary_text(summary);
  CHECK(text.find("  " + first_leader + "     elected leader (term 1)\n") != std::string::npos);
}

TEST_CASE("what happened: a slow network's elections and the fault that found no leader") {
  // At 200ms a link, leaders of short terms come and go; at 10s none is in office, so "isolate
  // the leader" is skipped, and the block says so beside the elections.
  const Scenario scenario = capsim::testing::load_scenario_or_fail(
      capsim::testing::shipped_scenario_path("cap/raft-partition.yaml"),
      {"network.delay.latency=200ms"});
  Simulation simulation(scenario, capsim::testing::all_protocols(), nullptr);
  const RunSummary summary = summarize_run(scenario, simulation.run(), {});
  const std::vector<StoryEntry>& story = summary.story.entries;
  const auto elections = std::count_if(story.begin(), story.end(),
                                       [](const StoryEntry& e) { return e.kind == "elected"; });
  CHECK(elections >= 2);
  const auto skipped = std::find_if(story.begin(), story.end(),
                                    [](const StoryEntry& e) { return e.kind == "partition"; });
  REQUIRE(skipped != story.end());
  CHECK(skipped->skipped);
  CHECK(skipped->at == 10s);
  // Everything before the skipped fault happened before 10s, everything after it later.
  for (auto it = story.begin(); it != skipped; ++it) CHECK(it->at <= 10s);
  for (auto it = skipped + 1; it != story.end(); ++it) CHECK(it->at >= 10s);
  const std::string text = format_summary_text(summary);
  CHECK(text.find("  fault  partition skipped: no node holds the role 'leader'\n") !=
        std::string::npos);
  CHECK(text.find("elected leader (term ") != std::string::npos);
  CHECK(text.find("node events: elected " + std::to_string(elections)) != std::string::npos);
}
