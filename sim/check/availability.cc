#include "sim/check/availability.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "sim/assert.h"
#include "sim/run_summary.h"

namespace capsim {
namespace {

constexpr std::int64_t kMaxWindows = 10'000;
// The minimum-evidence rule: one operation is enough to measure a fraction of.
constexpr std::size_t kMinimumOperations = 1;

nlohmann::json fraction_json(std::uint64_t answered, std::uint64_t invoked) {
  const std::optional<double> fraction = availability(answered, invoked);
  return fraction ? nlohmann::json(*fraction) : nlohmann::json(nullptr);
}

// The counts of operations by outcome, as details_json has them for windows and faults.
nlohmann::json counts_json(const OpCounts& counts) {
  return {{"invoked", counts.invoked},
          {"ok", counts.ok},
          {"answered_fail", counts.answered_fail},
          {"refused", counts.refused()},
          {"fail", counts.fail},
          {"info", counts.info},
          {"pending", counts.pending},
          {"availability", fraction_json(counts.answered(), counts.invoked)}};
}

nlohmann::json latency_json(const LatencySummary& latency) {
  const auto ns = [&](Duration d) {
    return latency.count > 0 ? nlohmann::json(d.count()) : nlohmann::json(nullptr);
  };
  return {{"count", latency.count},
          {"p50_ns", ns(latency.p50)},
          {"p99_ns", ns(latency.p99)},
          {"max_ns", ns(latency.max)}};
}

// The end of the series: the run's end, or just past the last invoke if that came later.
Time series_end(const History& history, Time end_time) {
  Time end = end_time;
  for (const HistoryEvent& event : history.events()) {
    if (event.type == OpType::kInvoke) end = std::max(end, event.time + kNanosecond);
  }
  return end;
}

// The window width to use: `window`, widened when the series would be too long to keep.
Duration series_width(Time end, Duration window) {
  if (end.count() <= kMaxWindows * window.count()) return window;
  return Duration{(end.count() + kMaxWindows - 1) / kMaxWindows};
}

// The lowest availability of a side of each role, over the partitions seen so far.
struct LowestBySide {
  std::optional<double> majority;
  std::optional<double> minority;

  void add(bool is_majority, std::optional<double> fraction) {
    if (!fraction) return;
    std::optional<double>& lowest = is_majority ? majority : minority;
    lowest = lowest ? std::min(*lowest, *fraction) : *fraction;
  }
};

nlohmann::json partition_json(const History& history, const PartitionWindow& partition,
                              const std::vector<NodeId>& client_homes, LowestBySide& lowest) {
  // actor_name() names a node id the same way for any cluster size above it, so the largest
  // id on a side bounds the cluster well enough to name the sides' nodes.
  std::set<NodeId> nodes;
  for (const auto& side : partition.sides) nodes.insert(side.begin(), side.end());
  const std::uint32_t cluster_size = nodes.empty() ? 0 : *nodes.rbegin() + 1;
  const WindowAvailability sides =
      partition_availability(history, partition, cluster_size, client_homes);

  nlohmann::json sides_json = nlohmann::json::array();
  for (std::size_t i = 0; i < sides.sides.size(); ++i) {
    const SideAvailability& side = sides.sides[i];
    std::set<NodeId> members(partition.sides[i].begin(), partition.sides[i].end());
    const bool is_majority = 2 * members.size() > nodes.size();
    lowest.add(is_majority, availability(side.answered(), side.invoked));
    sides_json.push_back({{"nodes", side.nodes},
                          {"clients", side.clients},
                          {"role", is_majority ? "majority" : "minority"},
                          {"invoked", side.invoked},
                          {"ok", side.ok},
                          {"answered_fail", side.answered_fail},
                          {"refused", side.refused()},
                          {"availability", fraction_json(side.answered(), side.invoked)}});
  }
  return {{"start_ns", partition.start.count()},
          {"end_ns", partition.end ? nlohmann::json(partition.end->count()) : nlohmann::json()},
          {"description", partition.description},
          {"sides", std::move(sides_json)},
          {"latency", latency_json(latency_between(history, partition.start, partition.end))}};
}

bool in_window(Time t, Time start, std::optional<Time> end) {
  return t >= start && (!end || t < *end);
}

// The operations invoked in [start, end), by outcome, wherever they were sent. Each process has
// at most one operation open, so a completion belongs to its process's last invoke.
OpCounts operations_between(const History& history, Time start, std::optional<Time> end) {
  OpCounts counts;
  std::map<std::uint64_t, bool> open;  // process -> invoked inside the window
  for (const HistoryEvent& event : history.events()) {
    if (event.type == OpType::kInvoke) {
      const bool inside = in_window(event.time, start, end);
      open[event.process] = inside;
      if (inside) ++counts.invoked;
      continue;
    }
    const auto it = open.find(event.process);
    if (it == open.end()) continue;
    if (it->second) {
      if (event.type == OpType::kOk) ++counts.ok;
      if (event.type == OpType::kFail) ++counts.fail;
      if (event.type == OpType::kFail && event.answered) ++counts.answered_fail;
      if (event.type == OpType::kInfo) ++counts.info;
    }
    open.erase(it);
  }
  for (const auto& [process, inside] : open) counts.pending += inside ? 1 : 0;
  return counts;
}

nlohmann::json fault_json(const History& history, const FaultWindow& fault) {
  const OpCounts counts = operations_between(history, fault.start, fault.end);
  nlohmann::json json = counts_json(counts);
  json["start_ns"] = fault.start.count();
  json["end_ns"] = fault.end ? nlohmann::json(fault.end->count()) : nlohmann::json();
  json["description"] = fault.description;
  json["latency"] = latency_json(latency_between(history, fault.start, fault.end));
  return json;
}

// answered / invoked over the operations invoked while any of the windows lasted; none when no
// operation was.
std::optional<double> availability_during(const History& history,
                                          const std::vector<PartitionWindow>& partitions,
                                          const std::vector<FaultWindow>& faults) {
  const auto during_any = [&](Time t) {
    for (const PartitionWindow& p : partitions) {
      if (in_window(t, p.start, p.end)) return true;
    }
    for (const FaultWindow& f : faults) {
      if (in_window(t, f.start, f.end)) return true;
    }
    return false;
  };
  std::uint64_t invoked = 0;
  std::uint64_t answered = 0;
  std::map<std::uint64_t, bool> open;
  for (const HistoryEvent& event : history.events()) {
    if (event.type == OpType::kInvoke) {
      const bool inside = during_any(event.time);
      open[event.process] = inside;
      if (inside) ++invoked;
      continue;
    }
    const auto it = open.find(event.process);
    if (it == open.end()) continue;
    const bool is_answer =
        event.type == OpType::kOk || (event.type == OpType::kFail && event.answered);
    if (it->second && is_answer) ++answered;
    open.erase(it);
  }
  return availability(answered, invoked);
}

}  // namespace

CheckResult check_availability(const History& history,
                               const std::vector<PartitionWindow>& partitions, Time end_time,
                               Duration window, const std::vector<FaultWindow>& faults,
                               const std::vector<NodeId>& client_homes) {
  CAPSIM_ASSERT(window > Duration{0});
  CheckResult result;
  result.check = "availability";

  const Time end = series_end(history, end_time);
  const Duration width = series_width(end, window);
  OpCounts total;
  nlohmann::json windows = nlohmann::json::array();
  const std::vector<OpCounts> series = operations_per_window(history, width, end);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const OpCounts& counts = series[i];
    total.invoked += counts.invoked;
    total.ok += counts.ok;
    total.fail += counts.fail;
    total.answered_fail += counts.answered_fail;
    total.info += counts.info;
    total.pending += counts.pending;
    nlohmann::json json = counts_json(counts);
    json["start_ns"] = static_cast<std::int64_t>(i) * width.count();
    windows.push_back(std::move(json));
  }

  LowestBySide lowest;
  nlohmann::json partitions_json = nlohmann::json::array();
  for (const PartitionWindow& partition : partitions) {
    partitions_json.push_back(partition_json(history, partition, client_homes, lowest));
  }
  nlohmann::json faults_json = nlohmann::json::array();
  for (const FaultWindow& fault : faults) faults_json.push_back(fault_json(history, fault));
  const LatencySummary latency = latency_between(history, Time::min(), std::nullopt);
  const nlohmann::json details = {{"window_ns", width.count()},
                                  {"windows", std::move(windows)},
                                  {"partitions", std::move(partitions_json)},
                                  {"faults", std::move(faults_json)},
                                  {"latency", latency_json(latency)}};
  result.details_json = details.dump();

  result.metrics["operations"] = static_cast<double>(total.invoked);
  result.metrics["ok"] = static_cast<double>(total.ok);
  result.metrics["answered_fail"] = static_cast<double>(total.answered_fail);
  result.metrics["refused"] = static_cast<double>(total.refused());
  for (const auto& [f, counts] : operations_per_f(history)) {
    const auto& kinds = kAvailabilityOperationKinds;
    if (std::find(kinds.begin(), kinds.end(), f) == kinds.end()) continue;
    result.metrics[f + "_ok"] = static_cast<double>(counts.ok);
    result.metrics[f + "_answered_fail"] = static_cast<double>(counts.answered_fail);
    result.metrics[f + "_refused"] = static_cast<double>(counts.refused());
    if (const auto fraction = availability(counts)) result.metrics[f + "_availability"] = *fraction;
  }
  result.verdict = CheckVerdict::kPass;
  apply_evidence_rule(result, total.invoked, kMinimumOperations, "operations",
                      "No operation was invoked, so there is no availability to measure.");
  if (result.verdict != CheckVerdict::kPass) return result;
  result.metrics["availability"] = *availability(total);
  if (latency.count > 0) {
    result.metrics["latency_p50_ns"] = static_cast<double>(latency.p50.count());
    result.metrics["latency_p99_ns"] = static_cast<double>(latency.p99.count());
    result.metrics["latency_max_ns"] = static_cast<double>(latency.max.count());
  }
  if (lowest.majority) result.metrics["availability_majority"] = *lowest.majority;
  if (lowest.minority) result.metrics["availability_minority"] = *lowest.minority;
  if (const auto during = availability_during(history, partitions, faults)) {
    result.metrics["availability_during_faults"] = *during;
  }
  return result;
}

}  // namespace capsim
