#include "sim/check/staleness.h"

#include <algorithm>
#include <optional>
#include <set>
#include <span>

#include <nlohmann/json.hpp>

#include "sim/check/collection_explanation.h"
#include "sim/check/history_index.h"
#include "sim/run_summary.h"

namespace capsim {
namespace {

// One measured read.
struct Measured {
  std::size_t read = 0;      // position in the index's operations
  std::uint64_t behind = 0;  // versions behind: acknowledged updates missed
  Duration lag{0};
  std::size_t newer = 0;  // the update the lag is measured from, when behind > 0
  bool exposed = false;   // some update was known done before the read: it could be stale
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

// The position of each update in `updates` that is known done, ordered by when it was.
std::vector<std::size_t> by_done(const HistoryIndex& index, std::vector<std::size_t> updates) {
  std::erase_if(updates, [&](std::size_t u) { return !index.done_index(u); });
  std::sort(updates.begin(), updates.end(), [&](std::size_t a, std::size_t b) {
    return *index.done_index(a) < *index.done_index(b);
  });
  return updates;
}

// Measures the reads of one register; reads of ambiguous values are counted in `unmeasured`.
void measure_register(const HistoryIndex& index, const std::string& key,
                      std::vector<Measured>& measured, std::size_t& unmeasured) {
  const std::vector<Operation>& ops = index.operations();
  // Writes known done, in invoke order: the rank is the position here.
  std::vector<std::size_t> writes;
  if (auto it = index.writes().find(key); it != index.writes().end()) {
    for (std::size_t w : it->second) {
      if (index.done_index(w) && written_value(ops[w])) writes.push_back(w);
    }
  }
  std::vector<std::size_t> by_completion(writes.size());  // ranks, earliest known done first
  for (std::size_t i = 0; i < writes.size(); ++i) by_completion[i] = i;
  std::sort(by_completion.begin(), by_completion.end(), [&](std::size_t a, std::size_t b) {
    return *index.done_index(writes[a]) < *index.done_index(writes[b]);
  });
  NewerWrites newer(writes.size());
  std::size_t added = 0;
  for (std::size_t r : index.reads().at(key)) {
    const Operation& read = ops[r];
    while (added < by_completion.size() &&
           *index.done_index(writes[by_completion[added]]) < read.invoke_index) {
      newer.add(by_completion[added], added);
      ++added;
    }
    const ReadSource source = index.source_of_read(read);
    if (source.kind == ReadSource::Kind::kUnknown) {
      ++unmeasured;
      continue;
    }
    Measured m{r, 0, Duration{0}, 0, added > 0};
    std::size_t from = 0;  // nil: every write known done is newer
    if (source.kind == ReadSource::Kind::kWrite) {
      // A write not known done precedes nothing, so nothing is known to be newer.
      const std::optional<std::uint64_t> done = index.done_index(source.write);
      from = done ? first_invoked_after(ops, writes, *done) : writes.size();
    }
    if (from < writes.size()) {
      const auto [count, first] = newer.at_or_above(from);
      if (count > 0) {
        m.behind = count;
        m.newer = writes[by_completion[first]];
        m.lag = read.invoke_time - *index.done_time(m.newer);
      }
    }
    measured.push_back(m);
  }
}

// The adds of set `key` known done before `read` was invoked whose elements it lacks, earliest
// known done first. `done_adds` is by_done() of the key's adds.
std::vector<std::size_t> missed_adds(const HistoryIndex& index,
                                     const std::vector<std::size_t>& done_adds,
                                     const Operation& read) {
  const Value::List& got = *set_elements(read.output);
  const std::set<Value> held(got.begin(), got.end());
  std::vector<std::size_t> missed;
  for (std::size_t add : done_adds) {
    if (*index.done_index(add) >= read.invoke_index) break;
    if (held.count(index.operations()[add].input) == 0) missed.push_back(add);
  }
  return missed;
}

// The adds of set `key` that name their element (it was added once), known done, by when.
std::vector<std::size_t> set_done_adds(const HistoryIndex& index, const std::string& key) {
  std::vector<std::size_t> adds;
  if (auto it = index.writes().find(key); it != index.writes().end()) {
    for (std::size_t a : it->second) {
      if (index.adder_of(key, index.operations()[a].input) == a) adds.push_back(a);
    }
  }
  return by_done(index, std::move(adds));
}

// Measures the reads of one set: the acknowledged adds each lacks.
void measure_set(const HistoryIndex& index, const std::string& key,
                 std::vector<Measured>& measured) {
  const std::vector<Operation>& ops = index.operations();
  const std::vector<std::size_t> adds = set_done_adds(index, key);
  for (std::size_t r : index.reads().at(key)) {
    const Operation& read = ops[r];
    Measured m{r, 0, Duration{0}, 0,
               !adds.empty() && *index.done_index(adds.front()) < read.invoke_index};
    const std::vector<std::size_t> missed = missed_adds(index, adds, read);
    if (!missed.empty()) {
      m.behind = missed.size();
      m.newer = missed.front();
      m.lag = read.invoke_time - *index.done_time(m.newer);
    }
    measured.push_back(m);
  }
}

// Measures the reads of one increment-only counter: a read that returned c when increments
// summing to A had been acknowledged before it began missed at least A - c of them, and could
// not hold every increment up to the first whose running total (in order of acknowledgement)
// passes c: the lag runs from that one's acknowledgement, a lower bound.
void measure_counter(const HistoryIndex& index, const std::string& key,
                     std::vector<Measured>& measured) {
  const std::vector<Operation>& ops = index.operations();
  std::vector<std::size_t> increments;
  if (auto it = index.writes().find(key); it != index.writes().end()) {
    for (std::size_t i : it->second) {
      if (ops[i].outcome == OpType::kOk) increments.push_back(i);
    }
  }
  increments = by_done(index, std::move(increments));
  std::vector<std::int64_t> total(increments.size());  // running totals in that order
  for (std::size_t i = 0; i < increments.size(); ++i) {
    total[i] = (i > 0 ? total[i - 1] : 0) + ops[increments[i]].input.integer();
  }
  std::size_t acknowledged = 0;  // how many were acknowledged before the read at hand began
  for (std::size_t r : index.reads().at(key)) {
    const Operation& read = ops[r];
    while (acknowledged < increments.size() &&
           *ops[increments[acknowledged]].complete_index < read.invoke_index) {
      ++acknowledged;
    }
    Measured m{r, 0, Duration{0}, 0, acknowledged > 0};
    const std::int64_t got = *counter_value(read.output);
    if (acknowledged > 0 && got < total[acknowledged - 1]) {
      m.behind = static_cast<std::uint64_t>(total[acknowledged - 1] - got);
      const auto first = std::upper_bound(total.begin(), total.begin() + acknowledged, got);
      m.newer = increments[static_cast<std::size_t>(first - total.begin())];
      m.lag = read.invoke_time - *ops[m.newer].complete_time;
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

// "the write of 7 had completed at 1.9s", or "... was known done at 2.3s (its outcome unknown,
// but process 4 had read it)".
std::string known_done_text(const HistoryIndex& index, std::size_t update, const std::string& what) {
  const std::optional<std::size_t> by = index.done_by_read(update);
  if (!by) return what + " had completed at " + format_seconds(*index.done_time(update));
  return what + " was known done at " + format_seconds(*index.done_time(update)) +
         " (its outcome unknown, but process " +
         std::to_string(index.operations()[*by].process) + " had read it)";
}

std::string describe_stale_read(const HistoryIndex& index, const Measured& m) {
  const Operation& read = index.operations()[m.read];
  const Operation& newer = index.operations()[m.newer];
  const std::string head = "process " + std::to_string(read.process) + " read " +
                           key_phrase(read) + " at " + format_seconds(read.invoke_time) +
                           " and got ";
  const std::string events = " [history events " + std::to_string(read.invoke_index) + ", " +
                             std::to_string(newer.invoke_index) + "]";
  const std::string before = ", " + format_duration_readable(m.lag) + " before the read began";
  switch (index.kind_of(key_of(read))) {
    case KeyKind::kSet: {
      const std::vector<std::size_t> missed =
          missed_adds(index, set_done_adds(index, key_of(read)), read);
      Value::List lacking;
      for (std::size_t add : missed) lacking.push_back(index.operations()[add].input);
      const std::string elements = element_list(lacking);
      const std::size_t size = set_elements(read.output)->size();
      return head + (size <= 6 ? read.output.to_text()
                               : "a set of " + std::to_string(size) + " elements") +
             ", without " + std::to_string(m.behind) + " acknowledged " +
             (m.behind == 1 ? "add" : "adds") + " (" + elements + "): " +
             known_done_text(index, m.newer, "the add of " + newer.input.to_text()) + before +
             events;
    }
    case KeyKind::kCounter:
      return head + read.output.to_text() + ", at least " + std::to_string(m.behind) +
             (m.behind == 1 ? " acknowledged increment" : " acknowledged increments") +
             " behind: the increments acknowledged by " + format_seconds(*newer.complete_time) +
             " already summed to more than " + read.output.to_text() + before + events;
    default: {
      // "Newer" rests on real time: the newer write began after the write of the value read
      // was known done. Both writes are named, with their processes and times.
      const ReadSource source = index.source_of_read(read);
      std::string older;
      std::string source_event;
      if (source.kind == ReadSource::Kind::kWrite) {
        const Operation& write = index.operations()[source.write];
        older = "; it began at " + format_seconds(newer.invoke_time) + ", after " +
                known_done_text(index, source.write,
                                "the write of " + written_text(write) + " by process " +
                                    std::to_string(write.process));
        source_event = ", " + std::to_string(write.invoke_index);
      }
      return head + read.output.to_text() + ", " + std::to_string(m.behind) +
             (m.behind == 1 ? " version" : " versions") + " behind: " +
             known_done_text(index, m.newer,
                             "the newer write of " + written_text(newer) + " by process " +
                                 std::to_string(newer.process)) +
             before + older + events.substr(0, events.size() - 1) + source_event + "]";
    }
  }
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
    apply_evidence_rule(result, 0, 1, "reads", "");
    return result;
  }
  std::vector<Measured> measured;
  std::size_t unmeasured = 0;
  nlohmann::json keys = nlohmann::json::object();
  for (const auto& [key, reads] : index.reads()) {
    const std::size_t begin = measured.size();
    switch (index.kind_of(key)) {
      case KeyKind::kRegister: measure_register(index, key, measured, unmeasured); break;
      case KeyKind::kSet: measure_set(index, key, measured); break;
      case KeyKind::kCounter: measure_counter(index, key, measured); break;
      case KeyKind::kNotJudged: unmeasured += reads.size(); continue;
    }
    keys[key] = stats_json(std::span<const Measured>(measured).subspan(begin));
  }
  const auto exposed = static_cast<std::size_t>(
      std::count_if(measured.begin(), measured.end(), [](const Measured& m) { return m.exposed; }));
  result.metrics = stats_of(measured);
  result.metrics["reads_unmeasured"] = static_cast<double>(unmeasured);
  result.metrics["reads_exposed"] = static_cast<double>(exposed);

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
  const nlohmann::json details = {{"overall", stats_json(measured)},
                                  {"keys", keys},
                                  {"most_stale", shown},
                                  {"keys_not_judged", keys_not_judged_json(index)}};
  result.details_json = details.dump();

  if (stale.empty()) {
    result.verdict = CheckVerdict::kPass;
  } else {
    result.verdict = CheckVerdict::kFail;
    Duration lag_max{0};
    for (const Measured* m : stale) lag_max = std::max(lag_max, m->lag);
    result.explanation.push_back(
        std::to_string(stale.size()) + " of " + std::to_string(measured.size()) +
        " reads were stale (" + format_percent(result.metrics["stale_fraction"]) + "): up to " +
        std::to_string(stale.front()->behind) + " acknowledged " +
        (stale.front()->behind == 1 ? "update" : "updates") + " missed, and up to " +
        format_duration_readable(lag_max) + " after a newer value was known done.");
    for (const auto& entry : shown) {
      result.explanation.push_back(entry.at("text").get<std::string>());
    }
  }
  // A read that nothing had been written before cannot be stale: it is no evidence.
  apply_evidence_rule(
      result, exposed, 1, "reads that could be stale",
      nothing_judged_reason(index, "an update known done before it began and a value the check "
                                   "can place (" +
                                       std::to_string(unmeasured) + " reads not measured)"));
  return result;
}

}  // namespace capsim
