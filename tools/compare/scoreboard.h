// The CAP scoreboard: one row per scenario, the measurements that place a protocol on the CAP
// spectrum, each taken over one or more seeds.
//
// A row is built from runs of one scenario (one per seed): the checks linearizable, session,
// staleness, lost-writes and availability are run on every run whatever the scenario's own
// `checks:` say, so that every row measures the same things. Verdicts become "held in k of K
// runs"; numbers become a mean and a spread (the population standard deviation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/run_summary.h"

namespace capsim::tools {

// The checks a scoreboard runs, in column order.
const std::vector<std::string>& scoreboard_checks();

// One run's figures, from its summary and check results.
struct RunFigures {
  std::optional<bool> linearizable;   // none: unknown or not applicable
  std::optional<bool> session;
  std::optional<double> stale_fraction;
  std::optional<double> lost_writes;  // acknowledged writes lost (set and counter workloads)
  std::optional<double> availability_majority;  // during partitions
  std::optional<double> availability_minority;
  std::optional<double> latency_p50_ns;
  std::optional<double> latency_p99_ns;
  std::optional<double> messages_per_operation;  // every message sent, clients' included
};

RunFigures figures_of(const RunSummary& summary, const std::vector<CheckResult>& checks);

// A measurement over several runs.
struct Verdicts {
  std::uint32_t held = 0;
  std::uint32_t violated = 0;
  std::uint32_t undecided = 0;  // unknown or not applicable
};

struct Spread {
  std::uint32_t count = 0;  // runs that measured it
  double mean = 0;
  double deviation = 0;  // population standard deviation; 0 for one run
};

struct ScoreboardRow {
  std::string scenario;  // its name
  std::string protocol;
  std::string options;   // the options that differ from the protocol's defaults, "k=v k=v"
  std::uint32_t runs = 0;
  Verdicts linearizable;
  Verdicts session;
  Spread stale_fraction;
  Spread lost_writes;
  Spread availability_majority;
  Spread availability_minority;
  Spread latency_p50_ns;
  Spread latency_p99_ns;
  Spread messages_per_operation;
};

// Folds the runs of one scenario into a row (identity fields are left to the caller).
void add_run(ScoreboardRow& row, const RunFigures& figures);

enum class TableFormat { kText, kMarkdown };

// The table: a header, then one line per row. Cells a run could not measure read "-".
std::string format_scoreboard(const std::vector<ScoreboardRow>& rows, TableFormat format);

}  // namespace capsim::tools
