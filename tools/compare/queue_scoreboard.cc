#include "tools/compare/queue_scoreboard.h"

#include <algorithm>
#include <set>

#include "sim/run_summary.h"
#include "tools/compare/scoreboard.h"

namespace capsim::tools {
namespace {

// The events of the operations named `f`, in order (indexes renumbered).
History operations_named(const History& history, const std::string& f) {
  History out;
  for (const HistoryEvent& event : history.events()) {
    if (event.f == f) out.add(event);
  }
  return out;
}

void keep_lowest(std::optional<double>& lowest, std::optional<double> fraction) {
  if (!fraction) return;
  lowest = lowest ? std::min(*lowest, *fraction) : *fraction;
}

const std::vector<Column> kQueueColumns = {
    {"scenario", true},       {"protocol", true},       {"options", true},
    {"runs", false},          {"lost", false},          {"duplicated", false},
    {"dup. effects", false},  {"reordered", false},     {"send", false},
    {"send maj.", false},     {"send min.", false},     {"receive maj.", false},
    {"receive min.", false},  {"e2e p99", false},       {"backlog peak", false},
    {"drain", false},
};

std::vector<std::string> cells_of(const QueueScoreboardRow& row) {
  return {row.scenario,
          row.protocol,
          row.options.empty() ? "(defaults)" : row.options,
          std::to_string(row.runs),
          count_cell(row.lost),
          count_cell(row.duplicated),
          count_cell(row.duplicate_effects),
          count_cell(row.reordered),
          percent_cell(row.send_availability),
          percent_cell(row.send_majority),
          percent_cell(row.send_minority),
          percent_cell(row.receive_majority),
          percent_cell(row.receive_minority),
          duration_cell(row.end_to_end_p99_ns),
          count_cell(row.backlog_peak),
          duration_cell(row.backlog_drain_ns)};
}

}  // namespace

const std::vector<std::string>& queue_scoreboard_checks() {
  static const std::vector<std::string> names{"delivery", "availability"};
  return names;
}

bool is_queue_scenario(const Scenario& scenario) { return scenario.workload.name == "queue"; }

SideFractions side_availability_of(const RunResult& run, std::uint32_t cluster_size,
                                   const std::string& f) {
  const History only = operations_named(run.history, f);
  SideFractions out;
  for (const PartitionWindow& partition : run.partitions) {
    std::set<NodeId> nodes;
    for (const auto& side : partition.sides) nodes.insert(side.begin(), side.end());
    const WindowAvailability sides =
        partition_availability(only, partition, cluster_size, run.client_homes);
    for (std::size_t i = 0; i < sides.sides.size(); ++i) {
      const std::set<NodeId> members(partition.sides[i].begin(), partition.sides[i].end());
      const bool is_majority = 2 * members.size() > nodes.size();
      const SideAvailability& side = sides.sides[i];
      keep_lowest(is_majority ? out.majority : out.minority,
                  availability(side.answered(), side.invoked));
    }
  }
  return out;
}

QueueRunFigures queue_figures_of(const Scenario& scenario, const RunResult& run,
                                 const std::vector<CheckResult>& checks) {
  QueueRunFigures figures;
  figures.lost = check_metric(checks, "delivery", "lost");
  figures.duplicated = check_metric(checks, "delivery", "duplicated");
  figures.duplicate_effects = check_metric(checks, "delivery", "duplicate_effects");
  figures.reordered = check_metric(checks, "delivery", "reordered");
  figures.end_to_end_p99_ns = check_metric(checks, "delivery", "delivery_latency_p99_ns");
  figures.backlog_peak = check_metric(checks, "delivery", "backlog_peak");
  figures.backlog_drain_ns = check_metric(checks, "delivery", "backlog_drain_ns");
  const auto per_f = operations_per_f(run.history);
  if (const auto it = per_f.find("send"); it != per_f.end()) {
    figures.send_availability = availability(it->second);
  }
  const SideFractions send = side_availability_of(run, scenario.cluster.nodes, "send");
  const SideFractions receive = side_availability_of(run, scenario.cluster.nodes, "receive");
  figures.send_majority = send.majority;
  figures.send_minority = send.minority;
  figures.receive_majority = receive.majority;
  figures.receive_minority = receive.minority;
  return figures;
}

void add_run(QueueScoreboardRow& row, const QueueRunFigures& figures) {
  ++row.runs;
  add_value(row.lost, figures.lost);
  add_value(row.duplicated, figures.duplicated);
  add_value(row.duplicate_effects, figures.duplicate_effects);
  add_value(row.reordered, figures.reordered);
  add_value(row.send_availability, figures.send_availability);
  add_value(row.send_majority, figures.send_majority);
  add_value(row.send_minority, figures.send_minority);
  add_value(row.receive_majority, figures.receive_majority);
  add_value(row.receive_minority, figures.receive_minority);
  add_value(row.end_to_end_p99_ns, figures.end_to_end_p99_ns);
  add_value(row.backlog_peak, figures.backlog_peak);
  add_value(row.backlog_drain_ns, figures.backlog_drain_ns);
}

std::string format_queue_scoreboard(const std::vector<QueueScoreboardRow>& rows,
                                    TableFormat format) {
  std::vector<std::vector<std::string>> table;
  for (const QueueScoreboardRow& row : rows) table.push_back(cells_of(row));
  return format_table(kQueueColumns, table, format);
}

}  // namespace capsim::tools
