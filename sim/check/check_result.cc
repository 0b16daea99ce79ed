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

}  // namespace capsim
