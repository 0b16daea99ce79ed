#include "sim/check/staleness.h"

#include <algorithm>
#include <optional>
#include <span>

#include <nlohmann/json.hpp>

#include "sim/check/history_index.h"
#include "sim/run_summary.h"

namespace capsim {
namespace {

// One measured read.
struct Measured {
  std::size_t read = 0;      // position in the index's operations
  std::uint64_t behind = 0;  // versions behind
  Duration lag{0};
  std::size_t newer = 0;  // the earliest-completed newer write, when behind > 0
};

// Over the ok writes of one key ranked by invoke order: which have been added (they completed
// before the read at hand began), how many of those rank at or above a given rank, and which
// of them completed first. A Fenwick tree over reversed ranks makes "at or above" a prefix.
class NewerWrites {
 public:
  explicit NewerWrites(std::size_t size) : count_(size + 1, 0), first_(size + 1, kNone) {}

  // `order` orders writes by completion: the write with the smaller order completed first.
  void add(std::size_t rank, std::size_t order) {
    for (std::size_t i = count_.size() - 1 - rank; i < count_.size(); i += i & (~i + 1)) {
      ++count_[i];
      first_[i] = std::min(first_[i], order);
    }
  }

  // The number of added writes ranked `from` or above, and the least order among them.
  std::pair<std::uint64_t, std::size_t> at_or_above(std::size_t from) const {
    std::uint64_t count = 0;
    std::size_t first = kNone;
    for (std::size_t i = count_.size() - 1 - from; i > 0; i -= i & (~i + 1)) {
      count += count_[i];
      first = std::min(first, first_[i]);
    }
    return {count, first};
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

 private:
  std::vector<std::uint64_t> count_;
  std::vector<std::size_t> first_;
};

// The rank of the first of `writes` (in invoke order) invoked after history index `after`.
std::size_t first_invoked_after(const std::vector<Operation>& ops,
                                const std::vector<std::size_t>& writes, std::uint64_t after) {
  const auto it = std::partition_point(writes.begin(), writes.end(),
                                       [&](std::size_t w) { return ops[w].invoke_index <= after; });
  return static_cast<std::size_t>(it - writes.begin());
}

// Measures the reads of one key; reads of ambiguous values are counted in `unmeasured`.
void measure_key(const HistoryIndex& index, const std::string& key, std::vector<Measured>& measured,
                 std::size_t& unmeasured) {
  const std::vector<Operation>& ops = index.operations();
  std::vector<std::size_t> writes;  // ok writes in invoke order: the rank is the position here
  if (auto it = index.writes().find(key); it != index.writes().end()) {
    for (std::size_t w : it->second) {
      if (ops[w].outcome == OpType::kOk && written_value(ops[w])) writes.push_back(w);
    }
  }
  std::vector<std::size_t> by_completion(writes.size());  // ranks, earliest completion first
  for (std::size_t i = 0; i < writes.size(); ++i) by_completion[i] = i;
  std::sort(by_completion.begin(), by_completion.end(), [&](std::size_t a, std::size_t b) {
    return *ops[writes[a]].complete_index < *ops[writes[b]].complete_index;
  });
  NewerWrites newer(writes.size());
  std::size_t added = 0;
  for (std::size_t r : index.reads().at(key)) {
    const Operation& read = ops[r];
    while (added < by_completion.size() &&
           *ops[writes[by_completion[added]]].complete_index < read.invoke_index) {
      newer.add(by_completion[added], added);
      ++added;
    }
    const ReadSource source = index.source_of_read(read);
    if (source.kind == ReadSource::Kind::kUnknown) {
      ++unmeasured;
      continue;
    }
    Measured m{r, 0, Duration{0}, 0};
    std::size_t from = 0;  // nil: every completed write is newer
    if (source.kind == ReadSource::Kind::kWrite) {
      const Operation& seen = ops[source.write];
      // A write of unknown outcome precedes nothing, so nothing is known to be newer.
      from = seen.outcome == OpType::kOk ? first_invoked_after(ops, writes, *seen.complete_index)
                                         : writes.size();
    }
    if (from < writes.size()) {
      const auto [count, first] = newer.at_or_above(from);
      if (count > 0) {
        m.behind = count;
        m.newer = writes[by_completion[first]];
        m.lag = read.invoke_time - *ops[m.newer].complete_time;
      }
    }
    measured.push_back(m);
  }
}

template <typename T>
T quantile(const std::vector<T>& sorted, unsigned permille) {
  return sorted[nearest_rank_position(sorted.size(), permille)];
}

double ns(Duration d) { return static_cast<double>(d.count()); }

// The metrics of staleness.h over `reads`.
std::map<std::string, double> stats_of(std::span<const Measured> reads) {
  std::vector<std::uint64_t> behind;
  std::vector<Duration> lag;
  std::vector<Duration> stale_lag;
  for (const Measured& m : reads) {
    behind.push_back(m.behind);
    lag.push_back(m.lag);
    if (m.behind > 0) stale_lag.push_back(m.lag);
  }
  std::map<std::string, double> stats;
  const auto n = static_cast<double>(reads.size());
  stats["reads"] = n;
  stats["stale_reads"] = static_cast<double>(stale_lag.size());
  if (reads.empty()) return stats;
  std::sort(behind.begin(), behind.end());
  std::sort(lag.begin(), lag.end());
  std::sort(stale_lag.begin(), stale_lag.end());
  stats["stale_fraction"] = static_cast<double>(stale_lag.size()) / n;
  stats["fresh_fraction"] = static_cast<double>(reads.size() - stale_lag.size()) / n;
  stats["versions_behind_p50"] = static_cast<double>(quantile(behind, 500));
  stats["versions_behind_p99"] = static_cast<double>(quantile(behind, 990));
  stats["versions_behind_max"] = static_cast<double>(behind.back());
  stats["lag_p50_ns"] = ns(quantile(lag, 500));
  stats["lag_p99_ns"] = ns(quantile(lag, 990));
  stats["lag_p999_ns"] = ns(quantile(lag, 999));
  stats["lag_max_ns"] = ns(lag.back());
  if (!stale_lag.empty()) {
    stats["stale_lag_p50_ns"] = ns(quantile(stale_lag, 500));
    stats["stale_lag_p99_ns"] = ns(quantile(stale_lag, 990));
    stats["stale_lag_p999_ns"] = ns(quantile(stale_lag, 999));
  }
  return stats;
}

nlohmann::json stats_json(std::span<const Measured> reads) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : stats_of(reads)) out[name] = value;
  return out;
}

std::string describe_stale_read(const HistoryIndex& index, const Measured& m) {
  const Operation& read = index.operations()[m.read];
  const Operation& newer = index.operations()[m.newer];
  return "process " + std::to_string(read.process) + " read " + key_phrase(read) + " at " +
         format_seconds(read.invoke_time) + " and got " + read.output.to_text() + ", " +
         std::to_string(m.behind) + (m.behind == 1 ? " version" : " versions") +
         " behind: the newer write of " + written_text(newer) + " had completed at " +
         format_seconds(*newer.complete_time) + ", " + format_duration(m.lag) +
         " before the read began [history events " + std::to_string(read.invoke_index) + ", " +
         std::to_string(newer.invoke_index) + "]";
}

// The stale reads, most stale first: most versions behind, then longest lag, then earliest.
std::vector<const Measured*> most_stale(const HistoryIndex& index,
                                        const std::vector<Measured>& measured) {
  std::vector<const Measured*> stale;
  for (const Measured& m : measured) {
    if (m.behind > 0) stale.push_back(&m);
  }
  std::sort(stale.begin(), stale.end(), [&](const Measured* a, const Measured* b) {
    if (a->behind != b->behind) return a->behind > b->behind;
    if (a->lag != b->lag) return a->lag > b->lag;
    return index.operations()[a->read].invoke_index < index.operations()[b->read].invoke_index;
  });
  return stale;
}

}  // namespace

CheckResult check_staleness(const History& history) {
  CheckResult result;
  result.check = "staleness";
  HistoryIndex index;
  std::string error;
  if (!index.build(history, error)) {
    result.verdict = CheckVerdict::kUnknown;
    result.explanation.push_back("The history could not be checked: " + error + ".");
    return result;
  }
  std::vector<Measured> measured;
  std::size_t unmeasured = 0;
  nlohmann::json keys = nlohmann::json::object();
  for (const auto& [key, reads] : index.reads()) {
    const std::size_t begin = measured.size();
    measure_key(index, key, measured, unmeasured);
    keys[key] = stats_json(std::span<const Measured>(measured).subspan(begin));
  }
  result.metrics = stats_of(measured);
  result.metrics["reads_unmeasured"] = static_cast<double>(unmeasured);

  constexpr std::size_t kShown = 3;
  const std::vector<const Measured*> stale = most_stale(index, measured);
  nlohmann::json shown = nlohmann::json::array();
  for (std::size_t i = 0; i < stale.size() && i < kShown; ++i) {
    shown.push_back({{"text", describe_stale_read(index, *stale[i])},
                     {"versions_behind", stale[i]->behind},
                     {"lag_ns", stale[i]->lag.count()},
                     {"read", operation_json(index.operations()[stale[i]->read])},
                     {"newer_write", operation_json(index.operations()[stale[i]->newer])}});
  }
  const nlohmann::json details = {
      {"overall", stats_json(measured)}, {"keys", keys}, {"most_stale", shown}};
  result.details_json = details.dump();

  if (measured.empty()) {
    result.verdict = CheckVerdict::kNotApplicable;
  } else if (stale.empty()) {
    result.verdict = CheckVerdict::kPass;
  } else {
    result.verdict = CheckVerdict::kFail;
    Duration lag_max{0};
    for (const Measured* m : stale) lag_max = std::max(lag_max, m->lag);
    result.explanation.push_back(
        std::to_string(stale.size()) + " of " + std::to_string(measured.size()) +
        " reads were stale (" + format_percent(result.metrics["stale_fraction"]) + "): up to " +
        std::to_string(stale.front()->behind) +
        (stale.front()->behind == 1 ? " version" : " versions") + " behind, and up to " +
        format_duration(lag_max) + " after a newer value had completed.");
    for (const auto& entry : shown) {
      result.explanation.push_back(entry.at("text").get<std::string>());
    }
  }
  return result;
}

}  // namespace capsim
