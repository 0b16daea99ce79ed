// CAPSIM_ASSERT stays on in every build: a broken invariant in a simulator is a wrong answer,
// and a wrong answer that looks right is worse than a stop.
#pragma once

#include <string_view>

namespace capsim {

// Prints the failed condition, where it is, and whatever run context was registered with
// set_assert_context() (seed, virtual time, reproduce line), then aborts.
[[noreturn]] void assert_failed(std::string_view condition, std::string_view file, int line);

// The run context printed by a failed assertion. The simulator sets it while a run is active.
void set_assert_context(std::string_view context);

}  // namespace capsim

#define CAPSIM_ASSERT(condition)                                              \
  do {                                                                        \
    if (!(condition)) ::capsim::assert_failed(#condition, __FILE__, __LINE__); \
  } while (false)
