#include "sim/check/check_result.h"

namespace capsim {

std::string_view check_verdict_name(CheckVerdict verdict) {
  switch (verdict) {
    case CheckVerdict::kPass: return "pass";
    case CheckVerdict::kFail: return "fail";
    case CheckVerdict::kUnknown: return "unknown";
    case CheckVerdict::kNotApplicable: return "n/a";
  }
  return "unknown";
}

void apply_evidence_rule(CheckResult& result, std::size_t judged, std::size_t needed,
                         std::string_view what, std::string_view why_not_enough) {
  result.evidence = "judged " + std::to_string(judged) + " " + std::string(what) +
                    "; needs at least " + std::to_string(needed);
  if (judged >= needed) return;
  if (result.verdict == CheckVerdict::kPass) result.verdict = CheckVerdict::kNotApplicable;
  if (result.verdict == CheckVerdict::kNotApplicable && !why_not_enough.empty()) {
    result.explanation.insert(result.explanation.begin(), std::string(why_not_enough));
  }
}

}  // namespace capsim
