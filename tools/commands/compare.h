// `capsim compare FILE...`: the CAP scoreboard. Runs every scenario with the same seed (or each
// seed of a range) and prints one table, a row per scenario: protocol and the options that
// differ from its defaults, linearizable, session guarantees, stale-read fraction, lost
// acknowledged writes, availability on the majority and minority sides during partitions,
// latency p50 / p99 of ok operations, and messages per operation (tools/compare/scoreboard.h).
// Over several seeds, verdicts read "k/K yes" and numbers "mean ±deviation".
// Queue scenarios (workload queue) get the delivery scoreboard instead
// (tools/compare/queue_scoreboard.h), printed after the CAP table when both kinds are given.
//
// Expectations in the files are not judged here (that is `capsim run`'s job); the scoreboard
// measures every scenario the same way.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace capsim::tools {

struct CompareOptions {
  std::vector<std::string> paths;
  std::string seed;        // --seed N: one run per scenario; empty: each file's own seed
  std::string seeds;       // --seeds A..B: one run per seed in [A, B]; overrides seed
  std::vector<std::string> sets;  // --set path=value, applied to every scenario
  std::string format = "text";    // text | markdown
  std::string check_timeout = "30s";
  std::string max_events;         // --max-events N for each run; empty: the default budget
  bool progress = false;          // show a progress line on `err` (it is a terminal)
};

// Returns 0, or 2 on bad input (an unreadable scenario, a bad seed range or format; every
// problem on `err`) or when a run exceeded its budget (RunLimits; no table is printed).
int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err);

// Parses "A..B" (or a single "N") into the inclusive range [first, last], at most 100,000
// seeds. On failure sets `error` to what was expected.
bool parse_seed_range(const std::string& text, std::uint64_t& first, std::uint64_t& last,
                      std::string& error);

}  // namespace capsim::tools
