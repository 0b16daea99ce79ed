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
#include <string_view>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/run_summary.h"
#include "tools/compare/table.h"

namespace capsim::tools {

// The metric `metric` of the check named `name` among `checks`; none when the check did not
// run, was not applicable, or did not report it.
std::optional<double> check_metric(const std::vector<CheckResult>& checks, std::string_view name,
                                   const std::string& metric);

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

// Verdicts over several runs.
struct Verdicts {
  std::uint32_t held = 0;
  std::uint32_t violated = 0;
  std::uint32_t undecided = 0;  // unknown or not applicable
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

// The table: a header, then one line per row. Cells a run could not measure read "-".
std::string format_scoreboard(const std::vector<ScoreboardRow>& rows, TableFormat format);

}  // namespace capsim::tools
