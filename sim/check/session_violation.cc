#include "sim/check/session_violation.h"

namespace capsim {
namespace {

constexpr std::array<Guarantee, 4> kAllGuarantees = {
    Guarantee::kReadYourWrites, Guarantee::kMonotonicReads, Guarantee::kMonotonicWrites,
    Guarantee::kWritesFollowReads};

std::string metric_name(Guarantee guarantee) {
  std::string name(guarantee_name(guarantee));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name + "_violations";
}

std::string event_list(const HistoryIndex& index, const std::vector<std::size_t>& named) {
  std::string text = " [history events ";
  for (std::size_t i = 0; i < named.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(index.operations()[named[i]].invoke_index);
  }
  return text + "]";
}

}  // namespace

std::string_view guarantee_name(Guarantee guarantee) {
  switch (guarantee) {
    case Guarantee::kReadYourWrites: return "read-your-writes";
    case Guarantee::kMonotonicReads: return "monotonic-reads";
    case Guarantee::kMonotonicWrites: return "monotonic-writes";
    case Guarantee::kWritesFollowReads: return "writes-follow-reads";
  }
  return "unknown";
}

std::string write_phrase(const Operation& write) {
  const std::string value = written_text(write);
  if (write.f == "cas" && written_value(write)) {
    return "set " + key_phrase(write) + " from " + write.input.list()[0].to_text() + " to " +
           value + " by cas";
  }
  return "wrote " + value + " to " + key_phrase(write);
}

std::string done_phrase(const HistoryIndex& index, std::size_t pos) {
  const std::optional<Time> done = index.done_time(pos);
  if (!done) return "outcome unknown";
  const std::optional<std::size_t> by = index.done_by_read(pos);
  if (!by) return "ok at " + format_seconds(*done);
  return "outcome unknown, known done at " + format_seconds(*done) + " when process " +
         std::to_string(index.operations()[*by].process) + " read it";
}

std::string older_value_phrase(const HistoryIndex& index, const ReadSource& source,
                               const Operation& newer, std::vector<std::size_t>& named) {
  if (source.kind == ReadSource::Kind::kInitial) return "nil, as if nothing had been written";
  const Operation& older = index.operations()[source.write];
  named.push_back(source.write);
  const std::string value = written_text(older);
  const std::optional<std::size_t> by = index.done_by_read(source.write);
  if (by) named.push_back(*by);
  const std::string done =
      by ? "was known done at " + format_seconds(*index.done_time(source.write)) +
               " (its outcome unknown, but process " +
               std::to_string(index.operations()[*by].process) + " had read it)"
         : "completed at " + format_seconds(*older.complete_time);
  return value + ", an older value (write of " + value + " by process " +
         std::to_string(older.process) + " " + done + ", before the write of " +
         written_text(newer) + " began at " + format_seconds(newer.invoke_time) + ")";
}

void SessionViolations::add(Guarantee guarantee, std::string text, std::vector<std::size_t> named) {
  const auto slot = static_cast<std::size_t>(guarantee);
  ++counts_[slot];
  if (kept_[slot].size() >= kShown) return;
  text += event_list(index_, named);
  kept_[slot].push_back(Kept{std::move(text), std::move(named)});
}

bool SessionViolations::wants_words(Guarantee guarantee) const {
  return kept_[static_cast<std::size_t>(guarantee)].size() < kShown;
}

std::size_t SessionViolations::total() const {
  std::size_t sum = 0;
  for (std::size_t count : counts_) sum += count;
  return sum;
}

void SessionViolations::fill_metrics(std::map<std::string, double>& metrics) const {
  for (Guarantee guarantee : kAllGuarantees) {
    metrics[metric_name(guarantee)] =
        static_cast<double>(counts_[static_cast<std::size_t>(guarantee)]);
  }
  metrics["violations"] = static_cast<double>(total());
}

nlohmann::json SessionViolations::details(std::size_t sessions) const {
  nlohmann::json guarantees = nlohmann::json::object();
  for (Guarantee guarantee : kAllGuarantees) {
    const auto slot = static_cast<std::size_t>(guarantee);
    nlohmann::json shown = nlohmann::json::array();
    for (const Kept& kept : kept_[slot]) {
      nlohmann::json operations = nlohmann::json::array();
      for (std::size_t pos : kept.named)
        operations.push_back(operation_json(index_.operations()[pos]));
      shown.push_back({{"text", kept.text}, {"operations", std::move(operations)}});
    }
    guarantees[std::string(guarantee_name(guarantee))] = {{"violations", counts_[slot]},
                                                          {"shown", std::move(shown)}};
  }
  return {{"sessions", sessions}, {"guarantees", std::move(guarantees)}};
}

std::vector<std::string> SessionViolations::explanation(std::size_t sessions) const {
  std::string summary = std::to_string(total()) + " session-guarantee violation" +
                        (total() == 1 ? "" : "s") + " over " + std::to_string(sessions) +
                        " session" + (sessions == 1 ? "" : "s") + ":";
  for (Guarantee guarantee : kAllGuarantees) {
    summary += std::string(guarantee == Guarantee::kReadYourWrites ? " " : ", ") +
               std::string(guarantee_name(guarantee)) + " " +
               std::to_string(counts_[static_cast<std::size_t>(guarantee)]);
  }
  std::vector<std::string> lines{summary + "."};
  for (Guarantee guarantee : kAllGuarantees) {
    const std::vector<Kept>& kept = kept_[static_cast<std::size_t>(guarantee)];
    for (std::size_t i = 0; i < kept.size() && i < kExplained; ++i) {
      lines.push_back(std::string(guarantee_name(guarantee)) + ": " + kept[i].text);
    }
  }
  return lines;
}

}  // namespace capsim
