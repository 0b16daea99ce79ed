#include "tools/commands/check.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <ostream>

#include "sim/check/edn_parser.h"
#include "sim/check/edn_reader.h"
#include "sim/check/history_file.h"
#include "sim/check/jsonl_reader.h"
#include "sim/check/linearizability.h"
#include "sim/check/linearizability_check.h"
#include "sim/check/model.h"
#include "sim/check/model_inference.h"
#include "sim/yaml_reader.h"
#include "tools/check_budget.h"
#include "tools/commands/check_delivery.h"

namespace capsim::tools {
namespace {

constexpr const char* kPrefix = "capsim check: error: ";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "jsonl" or "edn": --format, else the file's extension. Empty after reporting a problem.
std::string choose_format(const CheckOptions& options, std::ostream& err) {
  if (options.format) {
    if (*options.format == "jsonl" || *options.format == "edn") return *options.format;
    err << kPrefix << "--format: expected jsonl or edn, got '" << *options.format << "'\n";
    return "";
  }
  if (ends_with(options.path, ".edn")) return "edn";
  if (ends_with(options.path, ".jsonl") || ends_with(options.path, ".json")) return "jsonl";
  err << kPrefix << "cannot tell the format of " << options.path
      << " from its name (expected .jsonl or .edn): give --format jsonl or --format edn\n";
  return "";
}

// The 1-based line of history.jsonl that holds event `index` (blank lines hold none); 0 when
// there is no such line.
int line_of_event(const std::string& text, std::uint64_t index) {
  int line = 1;
  std::uint64_t seen = 0;
  for (std::size_t start = 0; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.find_first_not_of(" \t\r", start) < end && seen++ == index) return line;
    start = end + 1;
  }
  return 0;
}

// "FILE:LINE: error: TEXT" for a model's complaint "event N: TEXT" about a history.jsonl;
// EDN events have no reliable line, so they keep "FILE: error: event N: TEXT". The file is
// read again to find the line: its text is not kept while the history is checked.
std::string model_error(const std::string& path, const std::string& format,
                        const std::string& error) {
  std::uint64_t index = 0;
  const std::size_t colon = error.find(": ");
  const char* digits = error.c_str() + 6;  // after "event "
  std::string text;
  Diagnostics ignored(path);
  if (format == "jsonl" && error.starts_with("event ") && colon != std::string::npos &&
      std::from_chars(digits, error.c_str() + colon, index).ptr == error.c_str() + colon &&
      read_text_file(path, kMaxJsonlBytes, text, ignored)) {
    if (const int line = line_of_event(text, index); line > 0) {
      return path + ":" + std::to_string(line) + ": error: " + error.substr(colon + 2);
    }
  }
  return path + ": error: " + error;
}

std::optional<History> read_history(const CheckOptions& options, const std::string& format,
                                    HistoryReadStats& stats, std::ostream& err) {
  Diagnostics diagnostics(options.path);
  std::optional<History> history = read_history_file(
      options.path, format == "edn" ? HistoryFormat::kEdn : HistoryFormat::kJsonl, diagnostics,
      &stats);
  if (!history || !diagnostics.empty()) {
    err << diagnostics.format();
    return std::nullopt;
  }
  return history;
}

struct ChosenModel {
  const Model* model = nullptr;
  std::string how;  // "given with --model" or "chosen from the operations: ..."
};

std::optional<ChosenModel> choose_model(const CheckOptions& options, const History& history,
                                        std::ostream& err) {
  if (options.model) {
    const Model* model = find_model(*options.model);
    if (model == nullptr) {
      err << kPrefix << "--model: " << unknown_word_message("model", *options.model, model_names())
          << "\n";
      return std::nullopt;
    }
    return ChosenModel{model, "given with --model"};
  }
  std::string error;
  const std::optional<ModelChoice> choice = infer_model(history, error);
  if (!choice) {
    err << options.path << ": error: " << error << "; give one with --model (one of: "
        << list_choices(model_names()) << ")\n";
    return std::nullopt;
  }
  return ChosenModel{find_model(choice->model), "chosen from the " + choice->reason +
                                                    "; --model overrides it"};
}

int exit_status(const LinearizabilityResult& result) {
  switch (result.verdict) {
    case Verdict::kLinearizable: return kCheckValid;
    case Verdict::kNotLinearizable: return kCheckInvalid;
    case Verdict::kUnknown: return kCheckUnknown;
  }
  return kCheckUnknown;
}

void print_text(const CheckOptions& options, const HistoryReadStats& stats,
                const ChosenModel& chosen, const LinearizabilityResult& result,
                const std::string& budget, std::ostream& out) {
  out << "history  " << options.path << ": " << stats.events << " events";
  if (stats.skipped > 0) out << " (" << stats.skipped << " of other processes skipped)";
  out << ", " << result.operations_checked << " operations";
  if (result.keys_checked > 1) out << " on " << result.keys_checked << " keys";
  out << "\n";
  out << "model    " << result.model << " (" << chosen.how << ")\n";
  if (result.verdict == Verdict::kUnknown) {
    out << "verdict  unknown: no verdict within the time budget of " << budget
        << " (--timeout); the history may or may not be linearizable\n";
  } else {
    out << "verdict  " << verdict_name(result.verdict) << "\n";
  }
  const std::vector<std::string> lines = result.verdict == Verdict::kNotLinearizable
                                             ? to_check_result(result).explanation
                                             : std::vector<std::string>{result.explanation};
  out << "\n";
  for (const std::string& line : lines) out << line << "\n";
}

void print_json(const CheckOptions& options, const ChosenModel& chosen,
                const LinearizabilityResult& result, std::ostream& out) {
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(to_json(result));
  json["file"] = options.path;
  json["model_chosen"] = chosen.how;
  json["explanation_lines"] = to_check_result(result).explanation;
  out << json.dump() << "\n";
}

}  // namespace

int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  Duration timeout{0};
  if (std::string error; !parse_check_timeout(options.timeout, timeout, error)) {
    err << kPrefix << "--timeout: " << error << "\n";
    return kCheckBadInput;
  }
  const std::string format = choose_format(options, err);
  if (format.empty()) return kCheckBadInput;
  if (options.check && *options.check != "linearizable" && *options.check != "delivery") {
    err << kPrefix << "--check: expected linearizable or delivery, got '" << *options.check
        << "'\n";
    return kCheckBadInput;
  }
  if (options.check == "delivery" && options.model) {
    err << kPrefix << "--model chooses a linearizability model; it does not apply to --check "
                      "delivery\n";
    return kCheckBadInput;
  }
  const std::optional<DeliveryOptions> delivery = delivery_options(options, err);
  if (!delivery) return kCheckBadInput;
  HistoryReadStats stats;
  const std::optional<History> history = read_history(options, format, stats, err);
  if (!history) return kCheckBadInput;
  if (options.check == "delivery" ||
      (!options.check && !options.model && is_queue_history(*history))) {
    const std::string how = options.check
                                ? "given with --check"
                                : "chosen because the history sends, receives or drains "
                                  "messages; --check linearizable overrides it";
    std::string error;
    const int status = run_delivery_check(options, *delivery, *history, stats, how, out, error);
    if (!error.empty()) err << model_error(options.path, format, error) << "\n";
    return status;
  }
  const std::optional<ChosenModel> chosen = choose_model(options, *history, err);
  if (!chosen) return kCheckBadInput;

  const CheckBudget budget = wall_clock_budget(timeout);
  const LinearizabilityResult result =
      check_linearizable(*history, *chosen->model, budget.should_stop);
  if (!result.error.empty()) {
    // The history is well formed, but the model cannot take it (an operation it does not
    // know, a malformed value): that is bad input, not an unknown verdict.
    err << model_error(options.path, format, result.error) << "\n";
    return kCheckBadInput;
  }
  if (options.json) {
    print_json(options, *chosen, result, out);
  } else {
    print_text(options, stats, *chosen, result, budget.description, out);
  }
  return exit_status(result);
}

}  // namespace capsim::tools
