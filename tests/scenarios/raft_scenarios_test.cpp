// The Raft scenarios under scenarios/ show what their descriptions say, checked with the
// checkers themselves; and a seed sweep under a random nemesis finds no violation of Raft's
// safety properties.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/availability.h"
#include "sim/check/convergence.h"
#include "sim/check/linearizability.h"
#include "sim/check/model.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"
#include "support/scenario_run.h"

using namespace capsim;
using namespace std::chrono_literals;

namespace {

using testing::kv_linearizability;

Scenario load(const std::string& relative, const std::vector<std::string>& overrides = {}) {
  return testing::load_scenario_or_fail(testing::shipped_scenario_path(relative), overrides);
}

// What the trace says about the run, reduced to what the Raft checks need: the protocol's
// notes and the engine's fault events, in order.
struct TraceEvent {
  Time t{0};
  std::string node;  // "" for engine events
  std::string ev;    // "note", "crash", "restart", "heal", "partition", "resume", ...
  std::string text;  // the note's text
};

// Pulls `"key":"value"` or `"key":number` out of one trace line (our own fixed format).
std::string field(std::string_view line, std::string_view key) {
  const std::string pattern = "\"" + std::string(key) + "\":";
  const std::size_t at = line.find(pattern);
  if (at == std::string_view::npos) return {};
  std::size_t pos = at + pattern.size();
  if (pos < line.size() && line[pos] == '"') {
    const std::size_t end = line.find('"', pos + 1);
    return std::string(line.substr(pos + 1, end - pos - 1));
  }
  std::size_t end = pos;
  while (end < line.size() && line[end] != ',' && line[end] != '}') ++end;
  return std::string(line.substr(pos, end - pos));
}

class RaftTraceSink final : public TraceSink {
 public:
  void write_line(std::string_view line) override {
    const std::string ev = field(line, "ev");
    if (ev == "note") {
      const std::string text = field(line, "text");
      if (text.rfind("raft: ", 0) != 0) return;
      events.push_back({Time{std::stoll(field(line, "t"))}, field(line, "node"), ev, text});
    } else if (ev == "crash" || ev == "restart" || ev == "heal" || ev == "partition" ||
               ev == "cut" || ev == "pause" || ev == "resume") {
      events.push_back({Time{std::stoll(field(line, "t"))}, field(line, "node"), ev, {}});
    }
  }
  std::vector<TraceEvent> events;
};

struct Run {
  RunResult result;
  std::vector<TraceEvent> events;
};

Run run(const Scenario& scenario) {
  RaftTraceSink sink;
  Simulation simulation(scenario, testing::all_protocols(), &sink);
  Run r{simulation.run(), {}};
  r.events = std::move(sink.events);
  return r;
}

// The number after `marker` in `text`, e.g. the term in "raft: n3 leader of term 5".
std::optional<std::uint64_t> number_after(const std::string& text, const std::string& marker) {
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(text.substr(at + marker.size()));
}

// Election safety: at most one leader per term. Returns the violations, in words.
std::vector<std::string> election_safety_violations(const std::vector<TraceEvent>& events) {
  std::map<std::uint64_t, std::string> leader_of;
  std::vector<std::string> problems;
  for (const auto& event : events) {
    const auto term = number_after(event.text, " leader of term ");
    if (!term) continue;
    const auto [it, inserted] = leader_of.emplace(*term, event.node);
    if (!inserted && it->second != event.node) {
      problems.push_back("term " + std::to_string(*term) + " has leaders " + it->second +
                         " and " + event.node);
    }
  }
  return problems;
}

// Log matching on committed entries: every replica that applied entry i reports the same
// running hash of entries 1..i (and the same term for entry i).
std::vector<std::string> applied_log_disagreements(const std::vector<TraceEvent>& events,
                                                   std::size_t* compared) {
  std::map<std::uint64_t, std::pair<std::string, std::string>> first;  // index -> (what, who)
  std::vector<std::string> problems;
  *compared = 0;
  for (const auto& event : events) {
    const std::size_t at = event.text.find(" applied ");
    if (at == std::string::npos) continue;
    const std::string what = event.text.substr(at + 9);  // "32@5 chain 0x..."
    const std::uint64_t index = std::stoull(what);
    const auto [it, inserted] = first.emplace(index, std::pair(what, event.node));
    if (inserted) continue;
    ++*compared;
    if (it->second.first != what) {
      problems.push_back(event.node + " applied " + what + " but " + it->second.second +
                         " applied " + it->second.first);
    }
  }
  return problems;
}

// After the last fault, how long until some replica leads a term that no replica has gone past
// (a leader the others can follow): 0 if one already does. nullopt if that never happens.
std::optional<Duration> leader_recovery(const std::vector<TraceEvent>& events, Time last_fault) {
  std::map<std::string, std::uint64_t> leading;  // node -> the term it leads
  std::uint64_t highest_term = 0;
  auto has_leader = [&]() {
    return std::any_of(leading.begin(), leading.end(),
                       [&](const auto& entry) { return entry.second >= highest_term; });
  };
  bool after = false;
  for (const auto& event : events) {
    if (!after && event.t > last_fault) {
      after = true;
      if (has_leader()) return Duration{0};
    }
    if (event.ev == "crash") leading.erase(event.node);
    if (event.ev == "note") {
      if (const auto term = number_after(event.text, " leader of term ")) {
        leading[event.node] = *term;
        highest_term = std::max(highest_term, *term);
      } else if (const auto started = number_after(event.text, " starts an election for term ")) {
        leading.erase(event.node);
        highest_term = std::max(highest_term, *started);
      } else if (const auto newer = number_after(event.text, " steps down: term ")) {
        leading.erase(event.node);
        highest_term = std::max(highest_term, *newer);
      }
    }
    if (after && has_leader()) return event.t - last_fault;
  }
  if (!after && has_leader()) return Duration{0};
  return std::nullopt;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

Time last_fault_time(const RunResult& result) {
  Time last{0};
  for (const auto& fault : result.timeline) last = std::max(last, fault.at);
  return last;
}

}  // namespace

TEST_CASE("raft scenarios: a partition leaves Raft linearizable and its minority unavailable") {
  // raft-partition isolates the leader from 10s to 20s. The history must be linearizable; the
  // side holding only the old leader completes nothing while the majority side keeps serving;
  // a new leader of a higher term is elected; the old leader's lone entries are truncated; and
  // the replicas end equal.
  const Scenario scenario = load("cap/raft-partition.yaml");
  const Run r = run(scenario);
  CHECK(kv_linearizability(r.result) == Verdict::kLinearizable);

  const CheckResult availability =
      check_availability(r.result.history, r.result.partitions, r.result.end_time);
  const std::string availability_words = joined(availability.explanation);
  INFO(availability_words);
  REQUIRE(availability.metrics.count("availability_minority") == 1);
  CHECK(availability.metrics.at("availability_minority") == 0.0);
  REQUIRE(availability.metrics.count("availability_majority") == 1);
  CHECK(availability.metrics.at("availability_majority") > 0.8);

  const CheckResult convergence = check_convergence(r.result.final_digests, r.result.up_at_end,
                                                    scenario.cluster.nodes);
  CHECK(convergence.verdict == CheckVerdict::kPass);
  CHECK_FALSE(r.result.final_digests[0].empty());

  int leaders_elected_during = 0;
  int truncations = 0;
  for (const auto& event : r.events) {
    if (event.t >= 10s && event.t < 20s && number_after(event.text, " leader of term ")) {
      ++leaders_elected_during;
    }
    if (event.text.find(" truncates entries ") != std::string::npos) ++truncations;
  }
  CHECK(leaders_elected_during >= 1);
  CHECK(truncations >= 1);
  CHECK(election_safety_violations(r.events).empty());
}

TEST_CASE("raft scenarios: without a fault every operation is answered, cas mismatches too") {
  // raft-partition with no fault. Some cas operations find another value and are answered
  // "cas mismatch": a definite answer, so they count as available. The only refusals are the
  // "no leader known" of the first few hundred milliseconds, before the first election: once a
  // leader exists, every operation is answered (100%), and a fail is always such an answer,
  // marked so by the node's reply.
  const Run r = run(load("cap/raft-partition.yaml", {"faults=[]", "expect={}"}));
  std::optional<Time> first_leader;
  for (const auto& event : r.events) {
    if (!first_leader && number_after(event.text, " leader of term ")) first_leader = event.t;
  }
  REQUIRE(first_leader.has_value());
  CHECK(*first_leader < 1s);

  std::map<std::uint64_t, Time> invoked_at;  // process -> its open operation's invoke
  int after_election = 0;
  int refused_before = 0;
  for (const HistoryEvent& event : r.result.history.events()) {
    if (event.type == OpType::kInvoke) {
      invoked_at[event.process] = event.time;
      continue;
    }
    CAPTURE(event.to_json());
    const bool answered =
        event.type == OpType::kOk || (event.type == OpType::kFail && event.answered);
    if (event.type == OpType::kFail) {
      CHECK(event.error == (answered ? "cas mismatch" : "no leader known"));
    }
    if (invoked_at.at(event.process) >= *first_leader) {
      ++after_election;
      CHECK(answered);
    } else if (!answered) {
      ++refused_before;
    }
  }
  CHECK(after_election > 4000);

  const CheckResult availability =
      check_availability(r.result.history, r.result.partitions, r.result.end_time);
  CHECK(availability.verdict == CheckVerdict::kPass);
  CHECK(availability.metrics.at("cas_answered_fail") > 0);
  CHECK(availability.metrics.at("answered_fail") == availability.metrics.at("cas_answered_fail"));
  CHECK(availability.metrics.at("refused") == refused_before);
  CHECK(availability.metrics.at("availability") ==
        doctest::Approx(1.0 - refused_before / availability.metrics.at("operations")));
}

TEST_CASE("raft scenarios: local reads from a deposed leader are stale and not linearizable") {
  // raft-local-reads: same partition, read: local. The old leader answers reads during the
  // partition with values the new leader has overwritten. The same scenario with read-index
  // is linearizable.
  const Scenario scenario = load("cap/raft-local-reads.yaml");
  const Run r = run(scenario);
  CHECK(kv_linearizability(r.result) == Verdict::kNotLinearizable);
  const Run safe = run(load("cap/raft-local-reads.yaml", {"cluster.options.read=read-index"}));
  CHECK(kv_linearizability(safe.result) == Verdict::kLinearizable);
}

TEST_CASE("raft scenarios: without synced disks a crash of every replica loses acked writes") {
  // raft-no-sync crashes all three replicas at 10s with sync_disk: false: they come back empty,
  // so reads return nil for keys with acknowledged writes (not linearizable). With sync_disk
  // true the same run is linearizable.
  const Run lossy = run(load("cap/raft-no-sync.yaml"));
  CHECK(kv_linearizability(lossy.result) == Verdict::kNotLinearizable);
  int nil_reads_after = 0;
  for (const auto& event : lossy.result.history.events()) {
    if (event.type == OpType::kOk && event.f == "read" && event.time >= 11s &&
        event.value.is_nil()) {
      ++nil_reads_after;
    }
  }
  CHECK(nil_reads_after > 0);
  const Run synced = run(load("cap/raft-no-sync.yaml", {"cluster.options.sync_disk=true"}));
  CHECK(kv_linearizability(synced.result) == Verdict::kLinearizable);
}

TEST_CASE("raft scenarios: the nemesis scenario keeps every safety property on its seed") {
  const Scenario scenario = load("raft/raft-nemesis.yaml");
  const Run r = run(scenario);
  CHECK(kv_linearizability(r.result) == Verdict::kLinearizable);
  CHECK(election_safety_violations(r.events).empty());
  std::size_t compared = 0;
  CHECK(applied_log_disagreements(r.events, &compared).empty());
  CHECK(compared > 10);
  CHECK(leader_recovery(r.events, last_fault_time(r.result)).has_value());
  CHECK(check_convergence(r.result.final_digests, r.result.up_at_end, scenario.cluster.nodes)
            .verdict == CheckVerdict::kPass);
}

TEST_SUITE("slow") {
  TEST_CASE("raft scenarios: 200 seeds of the nemesis find no violation with log and read-index") {
    // Each seed draws another storm of partitions, crashes with restarts, and pauses. On every
    // run: a linearizable history, at most one leader per term, replicas that applied an entry
    // agree on the whole applied prefix, and a leader again after the last fault. The time to
    // that leader is printed as a distribution.
    constexpr std::uint64_t kSeeds = 200;
    for (const std::string mode : {"log", "read-index"}) {
      std::vector<Duration> recovery;
      std::size_t compared_total = 0;
      for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
        CAPTURE(mode);
        CAPTURE(seed);
        Scenario scenario = load("raft/raft-nemesis.yaml", {"cluster.options.read=" + mode});
        scenario.seed = seed;
        const Run r = run(scenario);
        CHECK(kv_linearizability(r.result) == Verdict::kLinearizable);
        const auto elections = election_safety_violations(r.events);
        CHECK_MESSAGE(elections.empty(), joined(elections));
        std::size_t compared = 0;
        const auto disagreements = applied_log_disagreements(r.events, &compared);
        CHECK_MESSAGE(disagreements.empty(), joined(disagreements));
        compared_total += compared;
        const auto recovered = leader_recovery(r.events, last_fault_time(r.result));
        CHECK(recovered.has_value());
        if (recovered) recovery.push_back(*recovered);
      }
      CHECK(compared_total > kSeeds * 10);
      REQUIRE_FALSE(recovery.empty());
      std::sort(recovery.begin(), recovery.end());
      auto rank = [&](std::size_t percent) {
        return recovery[std::min(recovery.size() - 1, (recovery.size() * percent + 99) / 100 - 1)];
      };
      // The seeds whose last fault left no leader behind, on their own.
      std::vector<Duration> lost;
      std::copy_if(recovery.begin(), recovery.end(), std::back_inserter(lost),
                   [](Duration d) { return d > 0s; });
      std::printf("raft nemesis sweep (read=%s, %zu seeds): time to a leader after the last "
                  "fault p50 %s p99 %s max %s; %zu seeds had none at that moment, for them "
                  "p50 %s\n",
                  mode.c_str(), recovery.size(), format_seconds(rank(50)).c_str(),
                  format_seconds(rank(99)).c_str(), format_seconds(recovery.back()).c_str(),
                  lost.size(), lost.empty() ? "-" : format_seconds(lost[lost.size() / 2]).c_str());
    }
  }
}
