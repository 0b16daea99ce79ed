// Helpers for the checker tests: histories written as EDN (the shortest readable form, and the
// one Jepsen uses), and the corpus location.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "sim/check/edn_reader.h"
#include "sim/diagnostics.h"
#include "sim/history.h"

namespace capsim::testing {

// Reads `text` as an EDN history; the test fails if it does not parse.
inline History edn_history(std::string_view text) {
  Diagnostics diagnostics("test.edn");
  std::optional<History> history = read_edn_history(text, diagnostics);
  INFO(diagnostics.format());
  REQUIRE(history.has_value());
  return *history;
}

// The shared test corpus of histories with known verdicts, beside the repository.
inline std::string corpus_dir() { return std::string(CAPSIM_SOURCE_DIR) + "/../shared/corpus"; }

}  // namespace capsim::testing
