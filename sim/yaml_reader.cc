#include "sim/yaml_reader.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "sim/units.h"
#include "sim/value.h"

namespace capsim {
namespace {

constexpr std::string_view kDurationNoun = "a duration with a unit, such as 250ms, 1.5s or 2m";
constexpr std::string_view kSeedNoun =
    "a seed: a whole number from 0 to 18446744073709551615, or hex such as 0x5eed";

bool parse_unsigned(std::string_view digits, int base, std::uint64_t& out) {
  if (digits.empty()) return false;
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
  return result.ec == std::errc{} && result.ptr == digits.data() + digits.size();
}

}  // namespace

bool YamlReader::expect_scalar(const YamlNode& node, std::string_view what) {
  if (node.is_scalar()) return true;
  error(node.pos, "expected " + std::string(what) + ", got " + describe_yaml(node));
  return false;
}

bool YamlReader::expect_unquoted(const YamlNode& node, std::string_view what) {
  if (!node.is_scalar() || !node.quoted) return true;
  const std::string kind = what == "a number" ? "numbers" : "true and false";
  error(node.pos, "expected " + std::string(what) + ", got the string " +
                      Value(node.text).to_text() + " (write " + kind + " without quotes)");
  return false;
}

bool YamlReader::expect_map(const YamlNode& node) {
  if (node.is_map()) return true;
  error(node.pos, "expected a map, got " + describe_yaml(node));
  return false;
}

bool YamlReader::expect_list(const YamlNode& node) {
  if (node.is_list()) return true;
  error(node.pos, "expected a list, got " + describe_yaml(node));
  return false;
}

void YamlReader::check_keys(const YamlNode& map, const std::vector<std::string>& allowed) {
  for (const auto& entry : map.entries) {
    bool known = false;
    for (const auto& key : allowed) known = known || key == entry.key;
    if (!known) error(entry.key_pos, unknown_word_message("key", entry.key, allowed));
  }
}

const YamlNode* YamlReader::require(const YamlNode& map, std::string_view key) {
  const YamlNode* value = map.find(key);
  if (value == nullptr) error(map.pos, "missing required key '" + std::string(key) + "'");
  return value;
}

bool YamlReader::read_scalar(const YamlNode& node, std::string_view what, std::string& out) {
  if (!expect_scalar(node, what)) return false;
  out = node.text;
  return true;
}

bool YamlReader::read_integer(const YamlNode& node, std::int64_t min, std::int64_t max,
                              std::int64_t& out) {
  if (!expect_scalar(node, "a whole number") || !expect_unquoted(node, "a number")) return false;
  std::string message;
  if (parse_integer(node.text, min, max, out, message)) return true;
  error(node.pos, message);
  return false;
}

bool YamlReader::read_duration(const YamlNode& node, Duration& out) {
  if (!expect_scalar(node, kDurationNoun)) return false;
  std::string message;
  if (parse_duration(node.text, out, message)) return true;
  error(node.pos, message);
  return false;
}

bool YamlReader::read_positive_duration(const YamlNode& node, std::string_view key,
                                        Duration& out) {
  Duration value{0};
  if (!read_duration(node, value)) return false;
  if (value <= Duration{0}) {
    error(node.pos, std::string(key) + " must be greater than 0, got " + node.text);
    return false;
  }
  out = value;
  return true;
}

bool YamlReader::read_signed_duration(const YamlNode& node, Duration& out) {
  if (!expect_scalar(node, "a duration with a unit and an optional sign, such as -200ms or 1s")) {
    return false;
  }
  std::string message;
  if (parse_signed_duration(node.text, out, message)) return true;
  error(node.pos, message);
  return false;
}

bool YamlReader::read_percent(const YamlNode& node, Probability& out) {
  if (!expect_scalar(node, "a percentage such as 2% or 0.5% (0% to 100%)")) return false;
  std::string message;
  if (parse_percent(node.text, out, message)) return true;
  error(node.pos, message);
  return false;
}

bool YamlReader::read_rate(const YamlNode& node, std::uint64_t& milli_per_second) {
  if (!expect_scalar(node, "a rate such as 200/s, 5/ms or 30/m")) return false;
  std::string message;
  if (parse_rate(node.text, milli_per_second, message)) return true;
  error(node.pos, message);
  return false;
}

bool YamlReader::read_bool(const YamlNode& node, bool& out) {
  if (!expect_scalar(node, "true or false") || !expect_unquoted(node, "true or false")) {
    return false;
  }
  std::string message;
  if (parse_bool(node.text, out, message)) return true;
  error(node.pos, message);
  return false;
}

bool YamlReader::read_seed(const YamlNode& node, std::uint64_t& out) {
  if (!expect_scalar(node, kSeedNoun) || !expect_unquoted(node, "a number")) return false;
  const std::string_view text = node.text;
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  if (hex ? parse_unsigned(text.substr(2), 16, out) : parse_unsigned(text, 10, out)) return true;
  error(node.pos, "expected " + std::string(kSeedNoun) + ", got " + describe_yaml(node));
  return false;
}

bool YamlReader::read_positive_number(const YamlNode& node, double& out) {
  constexpr std::string_view kNoun = "a number above 0, such as 2 or 1.5";
  if (!expect_scalar(node, kNoun) || !expect_unquoted(node, "a number")) return false;
  const std::string& text = node.text;
  double value = 0.0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value,
                                      std::chars_format::fixed);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size() ||
      !std::isfinite(value) || !(value > 0.0)) {
    error(node.pos, "expected " + std::string(kNoun) + ", got " + describe_yaml(node));
    return false;
  }
  out = value;
  return true;
}

std::string list_choices(const std::vector<std::string>& choices) {
  std::string text;
  for (const auto& choice : choices) text += (text.empty() ? "" : ", ") + choice;
  return text;
}

std::string unknown_word_message(std::string_view kind, const std::string& word,
                                 const std::vector<std::string>& choices) {
  std::string message = "unknown " + std::string(kind) + " '" + word + "'";
  const std::string hint = closest_match(word, choices);
  if (!hint.empty()) return message + " (did you mean '" + hint + "'?)";
  if (choices.empty()) return message;
  return message + " (expected one of: " + list_choices(choices) + ")";
}

}  // namespace capsim
