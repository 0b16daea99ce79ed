#include "sim/check/session_guarantees.h"

#include <nlohmann/json.hpp>

#include "sim/check/history_index.h"
#include "sim/check/session_violation.h"

namespace capsim {
namespace {

// Read-your-writes. Comparing with the session's latest write is enough: a value older than an
// earlier write of the session is older than the latest one too, since the session's writes
// follow each other in real time.
void check_read_your_writes(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  for (const auto& [process, positions] : index.sessions()) {
    std::map<std::string, std::size_t> last_write;  // key -> the session's latest ok write
    for (std::size_t pos : positions) {
      const Operation& op = ops[pos];
      if (op.outcome != OpType::kOk || index.kind_of(key_of(op)) != KeyKind::kRegister) continue;
      if (is_write(op) && written_value(op)) {
        last_write[key_of(op)] = pos;
        continue;
      }
      if (!is_read(op)) continue;
      auto found = last_write.find(key_of(op));
      if (found == last_write.end()) continue;
      out.judged(pos);
      const ReadSource source = index.source_of_read(op);
      if (!index.is_older(source, found->second)) continue;
      const Operation& write = ops[found->second];
      std::string text = "process " + std::to_string(process) + " " + write_phrase(write) +
                         " (ok at " + format_seconds(*write.complete_time) + "), then read " +
                         key_phrase(op) + " at " + format_seconds(op.invoke_time) + " and got ";
      std::vector<std::size_t> named{found->second, pos};
      text += older_value_phrase(index, source, write, named);
      out.add(Guarantee::kReadYourWrites, std::move(text), std::move(named));
    }
  }
}

// Monotonic reads. Among the session's earlier reads of a key, the one whose write began last
// is the hardest to stay behind: any value older than another earlier read's write is older
// than this one's too, so it is the only comparison needed.
void check_monotonic_reads(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  for (const auto& [process, positions] : index.sessions()) {
    std::map<std::string, std::size_t> freshest;  // key -> an earlier read, as above
    for (std::size_t pos : positions) {
      const Operation& op = ops[pos];
      if (!is_read(op) || op.outcome != OpType::kOk) continue;
      const std::string key = key_of(op);
      if (index.kind_of(key) != KeyKind::kRegister) continue;
      const ReadSource source = index.source_of_read(op);
      auto found = freshest.find(key);
      if (found != freshest.end()) {
        out.judged(pos);
        const Operation& earlier = ops[found->second];
        const std::size_t earlier_write = index.source_of_read(earlier).write;
        if (index.is_older(source, earlier_write)) {
          std::string text = "process " + std::to_string(process) + " read " +
                             earlier.output.to_text() + " from " + key_phrase(op) + " at " +
                             format_seconds(earlier.invoke_time) + ", then read " + key_phrase(op) +
                             " at " + format_seconds(op.invoke_time) + " and got ";
          std::vector<std::size_t> named{found->second, pos};
          text += older_value_phrase(index, source, ops[earlier_write], named);
          out.add(Guarantee::kMonotonicReads, std::move(text), std::move(named));
        }
      }
      if (source.kind != ReadSource::Kind::kWrite) continue;
      if (found == freshest.end()) {
        freshest.emplace(key, pos);
      } else if (ops[source.write].invoke_index >
                 ops[index.source_of_read(ops[found->second]).write].invoke_index) {
        found->second = pos;
      }
    }
  }
}

}  // namespace

CheckResult check_session_guarantees(const History& history) {
  CheckResult result;
  result.check = "session";
  HistoryIndex index;
  std::string error;
  if (!index.build(history, error)) {
    result.verdict = CheckVerdict::kUnknown;
    result.explanation.push_back("The history could not be checked: " + error + ".");
    apply_evidence_rule(result, 0, 1, "reads", "");
    return result;
  }
  SessionViolations violations(index);
  check_read_your_writes(index, violations);
  check_monotonic_reads(index, violations);
  check_monotonic_writes(index, violations);
  check_writes_follow_reads(index, violations);
  check_collection_sessions(index, violations);

  const std::size_t sessions = index.sessions().size();
  result.metrics["sessions"] = static_cast<double>(sessions);
  result.metrics["reads_judged"] = static_cast<double>(violations.judged_reads());
  violations.fill_metrics(result.metrics);
  nlohmann::json details = violations.details(sessions);
  details["keys_not_judged"] = keys_not_judged_json(index);
  result.details_json = details.dump();
  if (violations.total() > 0) {
    result.verdict = CheckVerdict::kFail;
    result.explanation = violations.explanation(sessions);
  } else {
    result.verdict = CheckVerdict::kPass;
  }
  apply_evidence_rule(result, violations.judged_reads(), 1, "reads",
                      nothing_judged_reason(index, "an earlier operation of its session to be "
                                                   "held to (its own update, or an earlier read "
                                                   "of the key)"));
  return result;
}

}  // namespace capsim
