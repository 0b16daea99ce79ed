#include "sim/check/linearizability_check.h"

#include <cctype>
#include <map>

#include "sim/check/violation_explanation.h"

namespace capsim {
namespace {

// The checker writes its explanation as one paragraph; a CheckResult holds one sentence a
// line. A sentence ends at ". " before a capital letter, which times ("12.250s") and values
// ([1 2]) never contain.
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '.' && text[i + 1] == ' ' &&
        std::isupper(static_cast<unsigned char>(text[i + 2])) != 0) {
      lines.push_back(text.substr(start, i + 1 - start));
      start = i + 2;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// When the operation ran, in seconds; histories without times (some of Jepsen's) get none.
std::string when(const Operation& op, const std::string& error) {
  const bool has_times =
      op.invoke_time != Time{0} || (op.complete_time && *op.complete_time != Time{0});
  if (op.outcome == OpType::kFail) {
    const std::string reason = error.empty() ? "" : " (" + error + ")";
    return has_times ? " (" + format_seconds(op.invoke_time) + " to " +
                           format_seconds(*op.complete_time) + ", reported failed" + reason + ")"
                     : " (reported failed" + reason + ")";
  }
  if (!op.complete_index) {
    return has_times ? " (invoked at " + format_seconds(op.invoke_time) + ", never completed)"
                     : " (never completed)";
  }
  if (!op.is_known()) {
    return has_times ? " (invoked at " + format_seconds(op.invoke_time) + ", timed out at " +
                           format_seconds(*op.complete_time) + ": outcome unknown)"
                     : " (outcome unknown)";
  }
  if (!has_times) return "";
  return " (" + format_seconds(op.invoke_time) + " to " + format_seconds(*op.complete_time) + ")";
}

// "event 88: read on key k1 by process 4 returned 5 (12.250s to 12.301s)".
std::string operation_line(const Operation& op,
                           const std::map<std::uint64_t, std::string>& errors) {
  // A read's invoke value means nothing (Jepsen's invokes often carry one).
  const bool is_read = op.f == "read";
  std::string text =
      "event " + std::to_string(op.invoke_index) + ": " + describe_operation(op, !is_read);
  if (op.is_known() && op.output.is_list() && op.output.list().size() > 8) {
    // The explanation above names the elements that matter; details_json has the whole set.
    text += " returned a set of " + std::to_string(op.output.list().size()) + " elements";
  } else if (op.is_known() && (is_read || op.output != op.input) && !op.output.is_nil()) {
    text += " returned " + op.output.to_text();
  } else if (op.is_known() && is_read) {
    text += " returned nil";
  }
  const auto error = errors.find(op.invoke_index);
  return text + when(op, error == errors.end() ? "" : error->second);
}

}  // namespace

void apply_linearizability_evidence(CheckResult& check, std::size_t constraining) {
  // A check already n/a carries its own reason; the rule's is for a pass it turns into n/a.
  const bool has_reason = !check.explanation.empty();
  apply_evidence_rule(
      check, constraining, kMinimumConstraining, "operations whose results constrain the order",
      has_reason ? ""
                 : "No operation completed ok with a result that constrains the order (a read, "
                   "a successful cas, a dequeue): every order fits such a history, so "
                   "linearizability was not judged.");
}

CheckResult to_check_result(const LinearizabilityResult& result) {
  CheckResult check;
  check.check = "linearizable";
  check.metrics["operations"] = static_cast<double>(result.operations_checked);
  check.metrics["operations_constraining"] = static_cast<double>(result.operations_constraining);
  check.metrics["keys"] = static_cast<double>(result.keys_checked);
  check.metrics["states_explored"] = static_cast<double>(result.states_explored);
  check.details_json = to_json(result);
  switch (result.verdict) {
    case Verdict::kLinearizable:
      check.verdict = CheckVerdict::kPass;
      if (result.operations_checked == 0) {
        check.verdict = CheckVerdict::kNotApplicable;
        check.explanation = {"The history has no operation that took effect or may have."};
      }
      break;
    case Verdict::kNotLinearizable:
      check.verdict = CheckVerdict::kFail;
      check.explanation = sentences(result.explanation);
      check.explanation.push_back("The operations that show it (history events):");
      for (const Operation& op : result.operations) {
        check.explanation.push_back("  " + operation_line(op, result.failure_reasons));
      }
      break;
    case Verdict::kUnknown:
      check.verdict = CheckVerdict::kUnknown;
      check.explanation = sentences(result.explanation);
      break;
  }
  apply_linearizability_evidence(check, result.operations_constraining);
  return check;
}

}  // namespace capsim
