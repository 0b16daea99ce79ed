// libFuzzer target: the history readers (history.jsonl and Jepsen EDN) and what `capsim check`
// does with what they accept.
//
// Input: one byte choosing the format (even: jsonl, odd: EDN), then the file's text. A reader
// must never crash or throw, must return a history exactly when it reports nothing, must
// report in valid UTF-8 and must accept only valid UTF-8. An accepted history must write back as history.jsonl that reads
// again to the same history, and a bounded linearizability check of it (at most 64 events,
// the search stopped after a few polls) must produce its JSON result without throwing.
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "sim/check/edn_reader.h"
#include "sim/check/jsonl_reader.h"
#include "sim/check/linearizability.h"
#include "sim/check/model.h"
#include "sim/check/model_inference.h"
#include "sim/utf8.h"

namespace {

// Aborts, naming the broken fact, so that libFuzzer records the input.
#define FUZZ_REQUIRE(fact)                                                      \
  do {                                                                     \
    if (!(fact)) {                                                         \
      std::fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, __LINE__, #fact); \
      std::abort();                                                        \
    }                                                                      \
  } while (false)

void check_bounded(const capsim::History& history) {
  if (history.size() > 64) return;
  std::string error;
  const std::optional<capsim::ModelChoice> choice = capsim::infer_model(history, error);
  if (!choice) return;
  const capsim::Model* model = capsim::find_model(choice->model);
  FUZZ_REQUIRE(model != nullptr);
  int polls = 0;
  const capsim::LinearizabilityResult result =
      capsim::check_linearizable(history, *model, [&] { return ++polls > 4; });
  FUZZ_REQUIRE(!capsim::first_invalid_utf8(result.explanation));
  const std::string json = capsim::to_json(result);
  FUZZ_REQUIRE(!json.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool edn = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  capsim::Diagnostics diagnostics(edn ? "fuzz.edn" : "fuzz.jsonl");
  const std::optional<capsim::History> history =
      edn ? capsim::read_edn_history(text, diagnostics)
          : capsim::read_jsonl_history(text, diagnostics);
  FUZZ_REQUIRE(history.has_value() == diagnostics.empty());
  FUZZ_REQUIRE(!capsim::first_invalid_utf8(diagnostics.format()));
  if (!history) return 0;
  FUZZ_REQUIRE(!capsim::first_invalid_utf8(text));
  const std::string jsonl = history->to_jsonl();
  FUZZ_REQUIRE(!capsim::first_invalid_utf8(jsonl));
  capsim::Diagnostics again("again.jsonl");
  const std::optional<capsim::History> reread = capsim::read_jsonl_history(jsonl, again);
  if (!reread) std::fprintf(stderr, "%s", again.format().c_str());
  FUZZ_REQUIRE(reread.has_value() && reread->size() == history->size());
  FUZZ_REQUIRE(reread->to_jsonl() == jsonl);
  check_bounded(*history);
  return 0;
}
