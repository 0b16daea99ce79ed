// libFuzzer target: the scenario loader, --set overrides included.
//
// Input: a scenario's text; optionally a NUL byte, then overrides one a line (at most 8), as
// `capsim run FILE --set ...` would pass them. The loader must end within the fuzzer's time
// and memory limits, never crash or throw, and keep its contract: a scenario exactly when
// there is no diagnostic, no diagnostic from its catch-all paths (they mean a bug below), and
// nothing but valid UTF-8 in what it reports or loads (all of it can reach JSON outputs).
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/register_protocols.h"
#include "sim/protocol_registry.h"
#include "sim/scenario_loader.h"
#include "sim/utf8.h"

namespace {

const capsim::ProtocolRegistry& registry() {
  static const capsim::ProtocolRegistry protocols = [] {
    capsim::ProtocolRegistry result;
    capsim::register_protocols(result);
    return result;
  }();
  return protocols;
}

// Aborts, naming the broken fact, so that libFuzzer records the input.
#define FUZZ_REQUIRE(fact)                                                      \
  do {                                                                     \
    if (!(fact)) {                                                         \
      std::fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, __LINE__, #fact); \
      std::abort();                                                        \
    }                                                                      \
  } while (false)

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  const std::string_view text = input.substr(0, nul);
  std::vector<std::string> overrides;
  if (nul != std::string_view::npos) {
    std::string_view rest = input.substr(nul + 1);
    while (overrides.size() < 8) {
      const std::size_t end = rest.find('\n');
      overrides.emplace_back(rest.substr(0, end));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
  const capsim::LoadResult result =
      capsim::load_scenario_text(text, "fuzz.yaml", registry(), overrides);
  FUZZ_REQUIRE(result.scenario.has_value() == result.diagnostics.empty());
  for (const capsim::Diagnostic& diagnostic : result.diagnostics.errors()) {
    FUZZ_REQUIRE(!diagnostic.message.starts_with("cannot load the scenario: "));
    FUZZ_REQUIRE(!diagnostic.message.starts_with("cannot parse YAML: "));
  }
  FUZZ_REQUIRE(!capsim::first_invalid_utf8(result.diagnostics.format()));
  if (result.scenario) {
    FUZZ_REQUIRE(!capsim::first_invalid_utf8(result.scenario->name));
    FUZZ_REQUIRE(!capsim::first_invalid_utf8(result.scenario->description));
    FUZZ_REQUIRE(!capsim::is_blank_text(result.scenario->description));
  }
  return 0;
}
