// A protocol's options as a scenario would give them: every default, then `overrides` parsed
// from text through the protocol's own option specs, so tests build nodes from the same values
// the loader would.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "sim/options.h"
#include "sim/protocol_registry.h"

namespace capsim::testing {

// (option name, value as written in a scenario) pairs.
using OptionOverrides = std::vector<std::pair<std::string, std::string>>;

// `info`'s defaults with `overrides` applied; fails the test on an unknown option or a value
// that does not parse.
inline Options options_with(const ProtocolInfo& info, const OptionOverrides& overrides) {
  Options options = default_options(info);
  for (const auto& [name, text] : overrides) {
    const OptionSpec* spec = nullptr;
    for (const auto& candidate : info.options) {
      if (candidate.name == name) spec = &candidate;
    }
    REQUIRE_MESSAGE(spec != nullptr, "no option " << name);
    OptionValue value;
    std::string error;
    REQUIRE_MESSAGE(parse_option_value(*spec, text, value, error), error);
    options.set(name, std::move(value));
  }
  return options;
}

}  // namespace capsim::testing
