// The summary of one run: what the clients saw (operations, availability overall and on each
// side of each partition, latency), what the network did (messages by fate) and the run's
// fingerprint (trace hash), with the command that repeats it. Computed from the scenario and
// the RunResult alone, so a summary is as deterministic as the run itself.
//
// It has two renderings: a compact text for the terminal and summary.json for programs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/check/expectations.h"
#include "sim/run_story.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace capsim {

// How many client operations ended each way. `invoked == ok + fail + info + pending`.
//
// Availability follows Gilbert and Lynch: an operation is available when the system responded
// to it, whether the response was ok or a definite no. So the fails split in two
// (HistoryEvent::answered): `answered_fail`, a correct negative answer about the operation
// itself (cas mismatch, an operation the protocol does not support), and the rest, refusals to
// serve it (no leader, no quorum, not the primary, a redirect that could not be followed).
// `answered()` counts the operations responded to; `refused()` all the others: refusing fails,
// infos (timeouts: no response in time) and operations still pending when the run ended.
struct OpCounts {
  std::uint64_t invoked = 0;
  std::uint64_t ok = 0;
  std::uint64_t fail = 0;     // every fail, answered or refused
  std::uint64_t info = 0;     // outcome unknown (timeout)
  std::uint64_t pending = 0;  // no completion by the end of the run
  std::uint64_t answered_fail = 0;  // of `fail`: definite answers
  friend bool operator==(const OpCounts&, const OpCounts&) = default;

  std::uint64_t answered() const { return ok + answered_fail; }
  std::uint64_t refused() const { return invoked - answered(); }
};

// answered / invoked as a fraction in [0, 1]; none when nothing was invoked.
std::optional<double> availability(std::uint64_t answered, std::uint64_t invoked);
// The availability of `counts`: answered() / invoked; none when nothing was invoked.
std::optional<double> availability(const OpCounts& counts);

// One side of a partition window: the operations invoked during the window by the clients on
// this side, how many of them completed ok and how many failed with a definite answer
// (whenever they completed). Without a known placement of clients (a history read from a file)
// an operation counts on the side of the node it was sent to.
struct SideAvailability {
  std::vector<std::string> nodes;    // "n1", "n2"
  std::vector<std::string> clients;  // "c1", "c3": the clients standing on this side"
  std::uint64_t invoked = 0;
  std::uint64_t ok = 0;
  std::uint64_t answered_fail = 0;

  std::uint64_t answered() const { return ok + answered_fail; }
  std::uint64_t refused() const { return invoked - answered(); }
};

struct WindowAvailability {
  Time start{0};
  std::optional<Time> end;  // none: still cut when the run ended
  std::string description;  // "[n1 n2] | [n3 n4 n5]"
  std::vector<SideAvailability> sides;
};

// Latency of the operations that completed ok, invoke to ok. Percentiles are nearest-rank:
// the p-th percentile of n sorted values is the value at rank ceil(p * n / 100).
struct LatencySummary {
  std::uint64_t count = 0;  // zero: the durations below are meaningless
  Duration p50{0};
  Duration p99{0};
  Duration max{0};
};

struct RunSummary {
  std::string scenario_name;
  std::string scenario_path;
  std::uint64_t seed = 0;
  Duration duration{0};
  std::string protocol;
  std::string options;  // Options::describe(): "mode=async ..."
  std::uint32_t nodes = 0;
  std::uint32_t clients = 0;

  OpCounts operations;
  std::map<std::string, OpCounts> operations_by_f;  // "read", "write", "cas", ...
  std::vector<WindowAvailability> partitions;
  std::vector<FaultOutcome> faults;  // every fault with what it hit, or why it did nothing
  RunStory story;  // "what happened": the faults and the node events, in order
  LatencySummary latency;
  std::map<std::string, LatencySummary> latency_by_f;  // per operation kind, as latency

  MessageStats messages;
  std::uint64_t trace_hash = 0;
  std::uint64_t trace_lines = 0;
  std::uint64_t events = 0;
  Time end_time{0};

  std::string reproduce;  // "capsim run scenarios/cap/x.yaml --seed 42 --set a=b"

  // The scenario's checks and expectations, when the caller ran them (summarize_run does not:
  // a check may need a time budget, which only the caller can measure).
  std::vector<CheckResult> checks;
  std::vector<ExpectationOutcome> expectations;
};

// Nearest-rank percentile of `sorted` (ascending). Requires: sorted is not empty and
// 0 < percent <= 100.
Duration nearest_rank(const std::vector<Duration>& sorted, unsigned percent);

// The 0-based position of the nearest-rank quantile permille/1000 among n sorted values (of any
// type): rank ceil(permille * n / 1000), minus one. Requires: n > 0 and 0 < permille <= 1000.
std::size_t nearest_rank_position(std::size_t n, unsigned permille);

// Pieces of summarize_run for checkers that break the same numbers down further. Each pairs the
// operations of `history` as summarize_run does.
// Availability on each side of `window`; node ids are named by actor_name(id, cluster_size).
// `client_homes` (RunResult::client_homes) places the clients; empty: sides by target node.
WindowAvailability partition_availability(const History& history, const PartitionWindow& window,
                                          std::uint32_t cluster_size,
                                          const std::vector<NodeId>& client_homes);
// Latency of the operations invoked in [from, to) (to absent: no end) that completed ok.
LatencySummary latency_between(const History& history, Time from, std::optional<Time> to);
// Operations counted by invoke time in consecutive windows of `width`, the first starting at 0:
// enough windows to cover [0, end) and every later invoke. Operations invoked before 0 are left
// out. Requires: width > 0.
std::vector<OpCounts> operations_per_window(const History& history, Duration width, Time end);
// Operations counted per kind (`f`: "read", "write", "cas", ...), as RunSummary::operations_by_f.
std::map<std::string, OpCounts> operations_per_f(const History& history);

// Computes the summary. `sets` are the --set overrides of the run, as given ("path=value"),
// repeated in the reproduce command. Completions are matched to invokes by process: a process
// has at most one operation outstanding, as in Jepsen. A completion without an open invoke is
// ignored.
RunSummary summarize_run(const Scenario& scenario, const RunResult& result,
                         const std::vector<std::string>& sets);

// `capsim run PATH --seed SEED [--set X]...`, with shell quoting where a word needs it.
std::string reproduce_command(const std::string& path, std::uint64_t seed,
                              const std::vector<std::string>& sets);

// The word as a POSIX shell would need it: unchanged when it holds only safe characters,
// otherwise in single quotes.
std::string shell_quote(const std::string& word);

// The terminal rendering: a few aligned blocks (operations per kind: invoked, ok, answered-fail,
// refused, with the infos and pending operations among the refused, and the availability;
// what happened: the faults and node events in order, run_story.h; the same per partition
// side), ending with the trace hash, then the checks
// (a verdict line each, with the first explanation lines of a check that did not pass) and the
// expectations (met or NOT MET) when there are any. The reproduce line is not included: the
// caller prints it last.
std::string format_summary_text(const RunSummary& summary);

// One line: "primary-backup-async seed 42: 1200 operations, 95.8% available, p99 12.3ms", then
// ", expectations: 3 of 3 met" when the scenario has any.
std::string format_verdict_line(const RunSummary& summary);

// summary.json: one JSON object, keys sorted, two-space indentation, ending with a newline.
std::string format_summary_json(const RunSummary& summary);

// "95.8%" (one decimal); "-" when there is nothing to divide.
std::string format_percent(std::optional<double> fraction);

}  // namespace capsim
