// Wall-clock time budgets for the checkers. sim/ never reads a clock (a run must not depend on
// the machine), so the commands that run checkers measure the budget here and hand sim/ a
// should_stop function.
#pragma once

#include <string>

#include "sim/check/scenario_checks.h"
#include "sim/time.h"

namespace capsim::tools {

// A budget that says stop once `limit` of wall time has passed since this call; its
// description is the limit as written back ("30s").
CheckBudget wall_clock_budget(Duration limit);

// Parses a --timeout / --check-timeout value: a duration with a unit, above 0. On failure sets
// `error` to what was expected.
bool parse_check_timeout(const std::string& text, Duration& out, std::string& error);

}  // namespace capsim::tools
