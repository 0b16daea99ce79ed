#include "sim/diagnostics.h"

#include <algorithm>
#include <cstddef>

namespace capsim {

std::string Diagnostic::format() const {
  std::string where = pos.origin.empty() ? file : pos.origin;
  if (pos.line > 0) {
    where += ":" + std::to_string(pos.line);
    if (pos.column > 0) where += ":" + std::to_string(pos.column);
  }
  return where + ": error: " + message;
}

void Diagnostics::error(const SourcePos& pos, std::string message) {
  errors_.push_back(Diagnostic{file_, pos, std::move(message)});
}

std::string Diagnostics::format() const {
  std::string text;
  for (const auto& error : errors_) text += error.format() + "\n";
  return text;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // A typo changes a few letters; beyond a third of the word it is another word.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return best_distance <= limit ? best : std::string{};
}

std::string join_choices(const std::vector<std::string>& choices) {
  std::string text;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i != 0) text += (i + 1 == choices.size()) ? " or " : ", ";
    text += choices[i];
  }
  return text;
}

}  // namespace capsim
