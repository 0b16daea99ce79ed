// The delivery scoreboard: what `capsim compare` shows for queue scenarios (workload queue),
// one row per scenario, each measurement over one or more seeds as in the CAP scoreboard
// (tools/compare/scoreboard.h).
//
// The checks delivery and availability run on every run. A row shows what happened to the
// messages (lost, duplicated, duplicate effects, reordered: counts from the delivery check),
// how available sending and receiving were (overall for send, and for each operation the
// lowest side of each role, majority or minority, over the run's partitions; "-" without a
// partition), the end-to-end p99 (first send attempt invoked -> first delivery) and the
// backlog: its peak and the time from the peak back to empty (sim/check/delivery_backlog.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "tools/compare/table.h"

namespace capsim::tools {

// The checks a delivery scoreboard runs.
const std::vector<std::string>& queue_scoreboard_checks();

// True when the scenario's workload is the queue workload.
bool is_queue_scenario(const Scenario& scenario);

// One run's figures.
struct QueueRunFigures {
  std::optional<double> lost;
  std::optional<double> duplicated;
  std::optional<double> duplicate_effects;
  std::optional<double> reordered;
  std::optional<double> send_availability;  // over the whole run
  std::optional<double> send_majority;      // lowest majority side, over the partitions
  std::optional<double> send_minority;
  std::optional<double> receive_majority;
  std::optional<double> receive_minority;
  std::optional<double> end_to_end_p99_ns;
  std::optional<double> backlog_peak;
  std::optional<double> backlog_drain_ns;
};

// The availability of the operations named `f` alone, per side of each partition of `run`:
// the lowest majority side and the lowest minority side (a side is a majority when it holds
// more than half of the partition's nodes, as the availability check has it).
struct SideFractions {
  std::optional<double> majority;
  std::optional<double> minority;
};
SideFractions side_availability_of(const RunResult& run, std::uint32_t cluster_size,
                                   const std::string& f);

QueueRunFigures queue_figures_of(const Scenario& scenario, const RunResult& run,
                                 const std::vector<CheckResult>& checks);

struct QueueScoreboardRow {
  std::string scenario;
  std::string protocol;
  std::string options;  // the options that differ from the protocol's defaults
  std::uint32_t runs = 0;
  Spread lost;
  Spread duplicated;
  Spread duplicate_effects;
  Spread reordered;
  Spread send_availability;
  Spread send_majority;
  Spread send_minority;
  Spread receive_majority;
  Spread receive_minority;
  Spread end_to_end_p99_ns;
  Spread backlog_peak;
  Spread backlog_drain_ns;
};

void add_run(QueueScoreboardRow& row, const QueueRunFigures& figures);

std::string format_queue_scoreboard(const std::vector<QueueScoreboardRow>& rows,
                                    TableFormat format);

}  // namespace capsim::tools
