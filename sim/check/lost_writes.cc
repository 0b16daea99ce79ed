#include "sim/check/lost_writes.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/check/operation.h"
#include "sim/run_summary.h"

namespace capsim {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kShownInWords = 3;
constexpr std::size_t kListedInDetails = 100;

// One ok final read: the operation and who was asked and who answered.
struct FinalRead {
  const Operation* op = nullptr;
  std::string node;         // the node asked
  std::string answered_by;  // the node that answered (differs after a redirect)
};

struct LostAdd {
  std::string key;
  const Operation* add = nullptr;
  std::string acked_by;
  std::vector<const FinalRead*> missing_from;
};

struct Unexpected {
  std::string key;
  Value element;
  std::string why;  // "recovered", "failed", "never attempted"
};

struct Totals {
  std::uint64_t final_reads = 0;
  std::uint64_t unanswered = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t lost = 0;
  std::uint64_t lost_everywhere = 0;
  std::uint64_t unknown = 0;
  std::uint64_t recovered = 0;
  std::uint64_t failed_present = 0;
  std::uint64_t never_attempted = 0;
};

// What the history says, grouped by key.
struct KeyOps {
  std::vector<const Operation*> writes;  // adds or increments that did or may have happened
  // set: element -> a failed add of it, as its invoke index and its fail event
  std::map<Value, std::pair<std::uint64_t, const HistoryEvent*>> refused;
  std::vector<const HistoryEvent*> refused_increments;  // counter: invokes of failed increments
  std::vector<FinalRead> final_reads;      // ok ones
  std::uint64_t unanswered = 0;            // final reads that failed or timed out
};

// True when `write` was acknowledged before `read` began: the read must reflect it.
bool acked_before(const Operation& write, const Operation& read) {
  return write.outcome == OpType::kOk && write.complete_time &&
         *write.complete_time < read.invoke_time;
}

// "n2" or "n2 (answered by n1)".
std::string read_source(const FinalRead& read) {
  if (read.answered_by == read.node) return read.node;
  return read.node + " (answered by " + read.answered_by + ")";
}

// "n1, n2 and n3".
std::string node_list(const std::vector<const FinalRead*>& reads) {
  std::string text;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    if (i > 0) text += i + 1 == reads.size() ? " and " : ", ";
    text += read_source(*reads[i]);
  }
  return text;
}

std::string describe_lost(const LostAdd& lost) {
  const Operation& add = *lost.add;
  std::vector<std::uint64_t> reads;
  for (const FinalRead* read : lost.missing_from) reads.push_back(*read->op->complete_index);
  std::sort(reads.begin(), reads.end());
  std::string indices = std::to_string(add.invoke_index) + ", " +
                        std::to_string(*add.complete_index) +
                        (reads.size() == 1 ? "; final read " : "; final reads ");
  for (std::size_t i = 0; i < reads.size(); ++i) {
    indices += (i == 0 ? "" : ", ") + std::to_string(reads[i]);
  }
  return "element " + add.input.to_text() + " was added to " + lost.key + " by process " +
         std::to_string(add.process) + " and acknowledged by " + lost.acked_by + " at " +
         format_seconds(*add.complete_time) + ", but the final " +
         (lost.missing_from.size() == 1 ? "read" : "reads") + " of " + lost.key + " from " +
         node_list(lost.missing_from) + (lost.missing_from.size() == 1 ? " does" : " do") +
         " not hold it [history events " + indices + "]";
}

class Judge {
 public:
  explicit Judge(const History& history) : events_(history.events()) {}

  void judge_set(const std::string& key, const KeyOps& ops) {
    std::uint64_t acknowledged = 0, lost = 0, unknown = 0, unexpected = 0;
    std::map<Value, const Operation*> by_element;
    for (const Operation* add : ops.writes) by_element.emplace(add->input, add);
    for (const Operation* add : ops.writes) {
      if (add->outcome != OpType::kOk) {
        ++unknown;
        continue;
      }
      std::vector<const FinalRead*> judging;
      std::vector<const FinalRead*> missing;
      for (const FinalRead& read : ops.final_reads) {
        if (!acked_before(*add, *read.op)) continue;
        judging.push_back(&read);
        if (!holds(read.op->output, add->input)) missing.push_back(&read);
      }
      if (judging.empty()) continue;
      ++acknowledged;
      if (missing.empty()) continue;
      ++lost;
      if (missing.size() == judging.size()) ++totals_.lost_everywhere;
      lost_.push_back({key, add, events_[*add->complete_index].node, std::move(missing)});
    }
    std::set<Value> seen;
    // Elements no add accounts for, with the final reads that hold them: over-counted.
    std::map<Value, std::vector<const FinalRead*>> invented;
    for (const FinalRead& read : ops.final_reads) {
      if (!read.op->output.is_list()) continue;
      for (const Value& element : read.op->output.list()) {
        const auto it = by_element.find(element);
        const bool never = it == by_element.end() && ops.refused.count(element) == 0;
        if (never) invented[element].push_back(&read);
        if (!seen.insert(element).second) continue;
        if (it != by_element.end() && it->second->outcome == OpType::kOk) continue;
        std::string why = "never attempted";
        if (it != by_element.end()) {
          why = "recovered";
          ++totals_.recovered;
        } else if (!never) {
          why = "failed";
          ++totals_.failed_present;
          failed_words_.push_back(
              failed_present_sentence(key, element, read, ops.refused.at(element).first,
                                      *ops.refused.at(element).second));
        } else {
          ++totals_.never_attempted;
        }
        ++unexpected;
        unexpected_.push_back({key, element, why});
      }
    }
    if (!invented.empty()) over_words_.push_back(invented_sentence(key, invented));
    totals_.acknowledged += acknowledged;
    totals_.lost += lost;
    totals_.unknown += unknown;
    sets_[key] = {{"acknowledged", acknowledged}, {"lost", lost}, {"unknown", unknown},
                  {"unexpected", unexpected}, {"over_counted", invented.size()}};
  }

  void judge_counter(const std::string& key, const KeyOps& ops) {
    std::uint64_t worst_lost = 0, worst_recovered = 0, worst_failed = 0, worst_never = 0;
    std::uint64_t acknowledged = 0;
    Json reads = Json::array();
    // Final reads that counted too few, grouped by (count, acknowledged before them).
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<const FinalRead*>> short_reads;
    // Final reads that counted more than every increment invoked before they ended can
    // explain, grouped by (count, the increments that may count) in words.
    std::map<std::array<std::uint64_t, 5>, std::vector<const FinalRead*>> long_reads;
    // Per group of short reads, the last increment acknowledged before the first of them began.
    std::map<std::pair<std::uint64_t, std::uint64_t>, const Operation*> last_acked_of;
    for (const Operation* increment : ops.writes) {
      if (increment->outcome != OpType::kOk) totals_.unknown += delta(*increment);
    }
    for (const FinalRead& read : ops.final_reads) {
      const Operation& r = *read.op;
      std::uint64_t acked = 0, concurrent = 0, unknown = 0, refused = 0;
      const Operation* last_acked = nullptr;  // the last acknowledged before the read began
      for (const Operation* increment : ops.writes) {
        const bool overlaps = !r.complete_time || increment->invoke_time < *r.complete_time;
        if (acked_before(*increment, r)) {
          acked += delta(*increment);
          if (last_acked == nullptr || *increment->complete_index > *last_acked->complete_index) {
            last_acked = increment;
          }
        } else if (overlaps) {
          (increment->outcome == OpType::kOk ? concurrent : unknown) += delta(*increment);
        }
      }
      for (const HistoryEvent* invoke : ops.refused_increments) {
        if (!r.complete_time || invoke->time < *r.complete_time) refused += delta(invoke->value);
      }
      const std::int64_t signed_count = r.output.is_integer() ? r.output.integer() : 0;
      const std::uint64_t count = signed_count < 0 ? 0 : static_cast<std::uint64_t>(signed_count);
      const std::uint64_t lost = acked > count ? acked - count : 0;
      const std::uint64_t excess = count > acked + concurrent ? count - acked - concurrent : 0;
      const std::uint64_t recovered = std::min(excess, unknown);
      const std::uint64_t failed = std::min(excess - recovered, refused);
      const std::uint64_t never = excess - recovered - failed;
      worst_lost = std::max(worst_lost, lost);
      worst_recovered = std::max(worst_recovered, recovered);
      worst_failed = std::max(worst_failed, failed);
      worst_never = std::max(worst_never, never);
      acknowledged = std::max(acknowledged, acked);
      reads.push_back({{"node", read.node}, {"answered_by", read.answered_by},
                       {"value", r.output.is_integer() ? Json(r.output.integer()) : Json()},
                       {"index", *r.complete_index}, {"acknowledged", acked},
                       {"concurrent", concurrent}, {"unknown", unknown}, {"refused", refused},
                       {"over_counted", never}});
      if (lost > 0) {
        short_reads[{count, acked}].push_back(&read);
        last_acked_of.emplace(std::make_pair(count, acked), last_acked);
      }
      if (never > 0) {
        long_reads[{count, acked, concurrent, unknown, refused}].push_back(&read);
      }
    }
    for (const auto& [counts, reads_short] : short_reads) {
      counter_words_.push_back(counter_sentence(key, reads_short, counts.first, counts.second,
                                                *last_acked_of.at(counts)));
    }
    for (const auto& [counts, reads_long] : long_reads) {
      over_words_.push_back(over_count_sentence(key, reads_long, counts));
    }
    totals_.acknowledged += acknowledged;
    totals_.lost += worst_lost;
    totals_.recovered += worst_recovered;
    totals_.failed_present += worst_failed;
    totals_.never_attempted += worst_never;
    counters_[key] = {{"acknowledged", acknowledged}, {"lost", worst_lost},
                      {"recovered", worst_recovered}, {"failed_present", worst_failed},
                      {"never_attempted", worst_never}, {"over_counted", worst_never},
                      {"final_reads", reads}};
  }

  Totals& totals() { return totals_; }
  void fill(CheckResult& result) const;

 private:
  static bool holds(const Value& set, const Value& element) {
    if (!set.is_list()) return false;
    const Value::List& members = set.list();
    return std::find(members.begin(), members.end(), element) != members.end();
  }
  static std::uint64_t delta(const Value& amount) {
    return amount.is_integer() && amount.integer() > 0
               ? static_cast<std::uint64_t>(amount.integer())
               : 0;
  }
  static std::uint64_t delta(const Operation& increment) { return delta(increment.input); }
  // "[history event 12]" or "[history events 12, 14]": where the final reads completed.
  static std::string read_events(const std::vector<const FinalRead*>& reads) {
    std::vector<std::uint64_t> indices;
    for (const FinalRead* read : reads) indices.push_back(*read->op->complete_index);
    std::sort(indices.begin(), indices.end());
    std::string text = indices.size() == 1 ? "[history event " : "[history events ";
    for (std::size_t i = 0; i < indices.size(); ++i) {
      text += (i == 0 ? "" : ", ") + std::to_string(indices[i]);
    }
    return text + "]";
  }
  // One sentence for the final reads of `key` that counted `count` with `acked` increments
  // acknowledged before they began, the last of them `last`. Requires: count < acked, reads not
  // empty.
  static std::string counter_sentence(const std::string& key,
                                      const std::vector<const FinalRead*>& reads,
                                      std::uint64_t count, std::uint64_t acked,
                                      const Operation& last) {
    const bool one = reads.size() == 1;
    return std::string(one ? "the final read" : "the final reads") + " of counter " + key +
           " from " + node_list(reads) + " at " + format_seconds(reads.front()->op->invoke_time) +
           (one ? " counted " : " all counted ") + std::to_string(count) + ", but " +
           std::to_string(acked) + " increments had been acknowledged before " +
           (one ? "it" : "they") + " began (the last by process " + std::to_string(last.process) +
           " at " + format_seconds(*last.complete_time) + ", history event " +
           std::to_string(last.invoke_index) + "): " + std::to_string(acked - count) +
           (acked - count == 1 ? " acknowledged increment is" : " acknowledged increments are") +
           " lost " + read_events(reads);
  }
  // One sentence for the final reads of `key` that counted more than every increment invoked
  // before they ended. `counts` is {count, acknowledged before, acknowledged during, unknown,
  // refused}. Requires: count exceeds the sum of the other four, reads not empty.
  static std::string over_count_sentence(const std::string& key,
                                         const std::vector<const FinalRead*>& reads,
                                         const std::array<std::uint64_t, 5>& counts) {
    const auto [count, acked, concurrent, unknown, refused] = counts;
    const std::uint64_t possible = acked + concurrent + unknown + refused;
    const bool one = reads.size() == 1;
    return std::string(one ? "the final read" : "the final reads") + " of counter " + key +
           " from " + node_list(reads) + " at " + format_seconds(reads.front()->op->invoke_time) +
           (one ? " counted " : " all counted ") + std::to_string(count) +
           ", but all the increments invoked before " + (one ? "it" : "they") +
           " ended add up to " + std::to_string(possible) + " (" + std::to_string(acked) +
           " acknowledged before " + (one ? "it" : "they") + " began, " +
           std::to_string(concurrent) + " acknowledged while " + (one ? "it" : "they") + " ran, " +
           std::to_string(unknown) + " with an unknown outcome, " + std::to_string(refused) +
           " refused): " + std::to_string(count - possible) +
           (count - possible == 1 ? " increment is" : " increments are") +
           " over-counted, counted although no operation made them " + read_events(reads);
  }
  // One sentence for an element of set `key` that the final read `read` (the first to hold it)
  // holds although its add was reported failed: "element 12 of set k1 is in the final read from
  // n1 [history event 900], but its add by process 2 [history event 45] was reported failed at
  // 3.100s (no leader known): a failed operation took effect".
  static std::string failed_present_sentence(const std::string& key, const Value& element,
                                             const FinalRead& read, std::uint64_t add_index,
                                             const HistoryEvent& fail) {
    return "element " + element.to_text() + " of set " + key + " is in the final read from " +
           read_source(read) + " [history event " + std::to_string(*read.op->complete_index) +
           "], but its add by process " + std::to_string(fail.process) + " [history event " +
           std::to_string(add_index) + "] was reported failed at " + format_seconds(fail.time) +
           (fail.error.empty() ? "" : " (" + fail.error + ")") +
           ": a failed operation took effect";
  }
  // One sentence for the elements of set `key` that final reads hold although no add of them
  // was ever invoked, each with the final reads holding it. Requires: `invented` not empty.
  static std::string invented_sentence(
      const std::string& key, const std::map<Value, std::vector<const FinalRead*>>& invented) {
    constexpr std::size_t kShown = 20;
    std::vector<std::string> shown;
    std::vector<const FinalRead*> reads;
    for (const auto& [element, holders] : invented) {
      for (const FinalRead* read : holders) {
        if (std::find(reads.begin(), reads.end(), read) == reads.end()) reads.push_back(read);
      }
      if (shown.size() < kShown) shown.push_back(element.to_text());
    }
    if (invented.size() > shown.size()) {
      shown.push_back(std::to_string(invented.size() - shown.size()) + " more");
    }
    std::string elements;
    for (std::size_t i = 0; i < shown.size(); ++i) {
      elements += (i == 0 ? "" : i + 1 == shown.size() ? " and " : ", ") + shown[i];
    }
    std::sort(reads.begin(), reads.end(), [](const FinalRead* a, const FinalRead* b) {
      return *a->op->complete_index < *b->op->complete_index;
    });
    const bool one = invented.size() == 1;
    return std::string(one ? "element " : "elements ") + elements + " of set " + key +
           (one ? " is" : " are") + " in the final " + (reads.size() == 1 ? "read" : "reads") +
           " from " + node_list(reads) + ", but no add of " + (one ? "it" : "them") +
           " was ever invoked: over-counted, held although no operation produced " +
           (one ? "it " : "them ") + read_events(reads);
  }

  const std::vector<HistoryEvent>& events_;
  Totals totals_;
  std::vector<LostAdd> lost_;
  std::vector<Unexpected> unexpected_;
  std::vector<std::string> counter_words_;
  std::vector<std::string> over_words_;  // over-counted sets and counters, in words
  std::vector<std::string> failed_words_;  // set elements held although their add failed
  Json sets_ = Json::object();
  Json counters_ = Json::object();
};

void Judge::fill(CheckResult& result) const {
  const Totals& t = totals_;
  const auto count = [](std::uint64_t n) { return static_cast<double>(n); };
  const double fraction = t.acknowledged == 0 ? 0.0 : count(t.lost) / count(t.acknowledged);
  result.metrics = {{"final_reads", count(t.final_reads)},
                    {"final_reads_unanswered", count(t.unanswered)},
                    {"acknowledged", count(t.acknowledged)},
                    {"lost", count(t.lost)},
                    {"lost_fraction", fraction},
                    {"lost_everywhere", count(t.lost_everywhere)},
                    {"unknown", count(t.unknown)},
                    {"unexpected", count(t.recovered + t.failed_present + t.never_attempted)},
                    {"recovered", count(t.recovered)},
                    {"failed_present", count(t.failed_present)},
                    {"never_attempted", count(t.never_attempted)},
                    {"over_counted", count(t.never_attempted)}};
  Json lost = Json::array();
  for (std::size_t i = 0; i < lost_.size() && i < kListedInDetails; ++i) {
    const LostAdd& entry = lost_[i];
    Json missing = Json::array();
    for (const FinalRead* read : entry.missing_from) {
      missing.push_back({{"index", *read->op->complete_index}, {"node", read->node},
                         {"answered_by", read->answered_by}});
    }
    lost.push_back({{"key", entry.key}, {"element", Json::parse(entry.add->input.to_json())},
                    {"process", entry.add->process}, {"acked_by", entry.acked_by},
                    {"acked_ns", entry.add->complete_time->count()},
                    {"add_index", entry.add->invoke_index},
                    {"ack_index", *entry.add->complete_index}, {"missing_from", missing}});
  }
  Json unexpected = Json::array();
  for (std::size_t i = 0; i < unexpected_.size() && i < kListedInDetails; ++i) {
    unexpected.push_back({{"key", unexpected_[i].key},
                          {"element", Json::parse(unexpected_[i].element.to_json())},
                          {"why", unexpected_[i].why}});
  }
  result.details_json = Json{{"sets", sets_}, {"counters", counters_}, {"lost", lost},
                             {"unexpected", unexpected}}.dump();

  result.verdict = t.lost == 0 && t.never_attempted == 0 ? CheckVerdict::kPass
                                                         : CheckVerdict::kFail;
  if (t.lost > 0) {
    const std::string what = lost_.empty()              ? "increments"
                             : counter_words_.empty() ? "adds"
                                                      : "adds and increments";
    result.explanation.push_back(
        std::to_string(t.lost) + " of " + std::to_string(t.acknowledged) + " acknowledged " +
        what + " (" + format_percent(fraction) +
        ") are missing from the final reads: the system answered ok and later lost them.");
    for (std::size_t i = 0; i < lost_.size() && i < kShownInWords; ++i) {
      result.explanation.push_back(describe_lost(lost_[i]) + ".");
    }
    for (std::size_t i = 0; i < counter_words_.size() && i < kShownInWords; ++i) {
      result.explanation.push_back(counter_words_[i] + ".");
    }
  }
  if (t.never_attempted > 0) {
    result.explanation.push_back(
        std::to_string(t.never_attempted) +
        (sets_.empty()       ? " increments"
         : counters_.empty() ? " elements"
                             : " elements and increments") +
        " in the final reads are over-counted: no add or increment, acknowledged, refused or of "
        "unknown outcome, accounts for them (was a request applied twice, or a value invented?).");
    for (std::size_t i = 0; i < over_words_.size() && i < kShownInWords; ++i) {
      result.explanation.push_back(over_words_[i] + ".");
    }
  }
  const std::uint64_t extra = t.recovered + t.failed_present + t.never_attempted;
  if (result.verdict == CheckVerdict::kFail && extra > 0) {
    result.explanation.push_back(
        std::to_string(extra) + (sets_.empty() ? " increments" : " elements") +
        " in the final reads were never acknowledged: " +
        std::to_string(t.recovered) + " recovered (the outcome was unknown, so they may have "
        "taken effect), " + std::to_string(t.failed_present) + " refused, " +
        std::to_string(t.never_attempted) + " never attempted.");
    for (std::size_t i = 0; i < failed_words_.size() && i < kShownInWords; ++i) {
      result.explanation.push_back(failed_words_[i] + ".");
    }
  }
}

// The minimum evidence: one acknowledged add or increment judged by a final read. Without
// one, no final read can show a write lost; an over-count found stands on its own.
constexpr std::size_t kMinimumJudged = 1;

void apply_minimum(CheckResult& result, std::uint64_t acknowledged, std::uint64_t final_reads,
                   std::string_view why_not_enough) {
  apply_evidence_rule(result, acknowledged, kMinimumJudged,
                      "acknowledged writes against " + std::to_string(final_reads) +
                          (final_reads == 1 ? " final read" : " final reads"),
                      why_not_enough);
}

CheckResult verdict_only(CheckVerdict verdict, std::string why) {
  CheckResult result;
  result.check = "lost-writes";
  result.verdict = verdict;
  result.explanation.push_back(std::move(why));
  apply_minimum(result, 0, 0, "");
  return result;
}

}  // namespace

CheckResult check_lost_writes(const History& history) {
  OperationList list;
  std::string error;
  if (!collect_operations(history, list, error)) {
    return verdict_only(CheckVerdict::kUnknown, "The history is malformed: " + error + ".");
  }
  const std::vector<HistoryEvent>& events = history.events();
  std::map<std::string, KeyOps> sets;
  std::map<std::string, KeyOps> counters;
  bool any_final = false;
  // Failed operations are not in `list`; a refused add still matters when its element shows up.
  std::map<std::uint64_t, std::uint64_t> open_invoke;  // process -> invoke index
  for (const HistoryEvent& event : events) {
    any_final = any_final || event.final_read;
    if (event.type == OpType::kInvoke) {
      open_invoke[event.process] = event.index;
      if (event.f == "add") sets[event.key.value_or("")];
      if (event.f == "increment") counters[event.key.value_or("")];
      continue;
    }
    const auto open = open_invoke.find(event.process);
    if (open == open_invoke.end()) continue;
    const HistoryEvent& invoke = events[open->second];
    open_invoke.erase(open);
    if (event.type != OpType::kFail) continue;
    const std::string refused_key = invoke.key.value_or("");
    if (invoke.f == "add") {
      sets[refused_key].refused.emplace(invoke.value, std::make_pair(invoke.index, &event));
    }
    if (invoke.f == "increment") counters[refused_key].refused_increments.push_back(&invoke);
    if (invoke.final_read) {
      const std::string key = invoke.key.value_or("");
      if (sets.count(key) != 0) ++sets[key].unanswered;
      if (counters.count(key) != 0) ++counters[key].unanswered;
    }
  }
  if (!any_final) {
    return verdict_only(CheckVerdict::kNotApplicable,
                        "The history has no final reads, so nothing tells what the system kept: "
                        "run the scenario with workload.final_reads: true.");
  }
  if (sets.empty() && counters.empty()) {
    return verdict_only(CheckVerdict::kNotApplicable,
                        "No key holds a set or a counter (a kv workload?): lost writes are judged "
                        "only for the set and counter workloads, because a register keeps only "
                        "its last write and an overwritten write looks just like a lost one.");
  }
  for (const Operation& op : list.operations) {
    const std::string key = op.key.value_or("");
    const bool is_final = events[op.invoke_index].final_read;
    for (auto* group : {&sets, &counters}) {
      auto it = group->find(key);
      if (it == group->end()) continue;
      KeyOps& ops = it->second;
      if (op.f == (group == &sets ? "add" : "increment")) ops.writes.push_back(&op);
      if (op.f == "read" && is_final) {
        if (op.outcome != OpType::kOk) {
          ++ops.unanswered;
        } else {
          ops.final_reads.push_back({&op, events[op.invoke_index].node,
                                     events[*op.complete_index].node});
        }
      }
    }
  }
  Judge judge(history);
  for (const auto* group : {&sets, &counters}) {
    for (const auto& [key, ops] : *group) {
      judge.totals().final_reads += ops.final_reads.size();
      judge.totals().unanswered += ops.unanswered;
      if (group == &sets) {
        judge.judge_set(key, ops);
      } else {
        judge.judge_counter(key, ops);
      }
    }
  }
  CheckResult result;
  result.check = "lost-writes";
  judge.fill(result);
  const Totals& totals = judge.totals();
  if (totals.final_reads == 0) {
    result.verdict = CheckVerdict::kUnknown;
    result.explanation = {"None of the " + std::to_string(totals.unanswered) +
                          " final reads of the sets and counters was answered, so nothing "
                          "tells what the system kept."};
  }
  apply_minimum(result, totals.acknowledged, totals.final_reads,
                "No add or increment was acknowledged before a final read began, so no final "
                "read can show an acknowledged write lost.");
  return result;
}

}  // namespace capsim
