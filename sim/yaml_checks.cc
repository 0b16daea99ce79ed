// The `checks` and `expect` sections: which checks run after the run, and what their results
// must be for the scenario to pass. Check and metric names come from the check catalog
// (sim/check/scenario_checks.h), so a new checker needs no change here.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "sim/check/scenario_checks.h"
#include "sim/units.h"
#include "sim/yaml_sections.h"

namespace capsim {
namespace {

constexpr std::string_view kExpectationNoun =
    "true, false, a bound such as {max: 5%}, or a list of them";

// `availability`'s sides, as the metric each one bounds.
struct Side {
  std::string_view name;
  std::string_view metric;
};
constexpr Side kSides[] = {{"overall", "availability"},
                           {"majority", "availability_majority"},
                           {"minority", "availability_minority"}};

const CheckInfo* read_check_name(YamlReader& reader, const YamlNode& node, std::string& name) {
  if (!reader.read_scalar(node, "a check name", name)) return nullptr;
  const CheckInfo* check = find_check(name);
  if (check == nullptr) reader.error(node.pos, unknown_word_message("check", name, check_names()));
  return check;
}

// A number of `unit`: a percentage for fractions, a duration for `_ns` metrics, otherwise a
// plain number of at least 0.
bool read_metric_value(YamlReader& reader, const YamlNode& node, MetricUnit unit, double& out) {
  if (unit == MetricUnit::kFraction) {
    Probability fraction;
    if (!reader.read_percent(node, fraction)) return false;
    out = static_cast<double>(fraction.ppm) / Probability::kMillion;
    return true;
  }
  if (unit == MetricUnit::kDuration) {
    Duration duration{0};
    if (!reader.read_duration(node, duration)) return false;
    out = static_cast<double>(duration.count());
    return true;
  }
  constexpr std::string_view kNoun = "a number of at least 0, such as 0, 3 or 2.5";
  if (!reader.expect_unquoted(node, "a number")) return false;
  const std::string& text = node.text;
  double value = 0.0;
  const auto parsed = node.is_scalar()
                          ? std::from_chars(text.data(), text.data() + text.size(), value,
                                            std::chars_format::fixed)
                          : std::from_chars_result{text.data(), std::errc::invalid_argument};
  if (parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size() ||
      !std::isfinite(value) || value < 0.0) {
    reader.error(node.pos, "expected " + std::string(kNoun) + ", got " + describe_yaml(node));
    return false;
  }
  out = value;
  return true;
}

// The metric a bound names: `metric`, or `side` (availability only), or the check's main one.
bool read_bound_metric(YamlReader& reader, const YamlNode& node, const CheckInfo& check,
                       std::string& out) {
  const YamlNode* metric = node.find("metric");
  const YamlNode* side = check.name == "availability" ? node.find("side") : nullptr;
  if (metric != nullptr && side != nullptr) {
    reader.error(side->pos, "give either side or metric, not both");
    return false;
  }
  if (metric != nullptr) {
    std::string name;
    if (!reader.read_scalar(*metric, "a metric name", name)) return false;
    if (find_metric(check, name) == nullptr) {
      std::vector<std::string> names;
      for (const MetricInfo& info : check.metrics) names.emplace_back(info.name);
      reader.error(metric->pos,
                   unknown_word_message(std::string(check.name) + " metric", name, names));
      return false;
    }
    out = name;
    return true;
  }
  if (side != nullptr) {
    std::string name;
    if (!reader.read_scalar(*side, "overall, majority or minority", name)) return false;
    for (const Side& s : kSides) {
      if (s.name == name) {
        out = s.metric;
        return true;
      }
    }
    reader.error(side->pos,
                 unknown_word_message("side", name, {"overall", "majority", "minority"}));
    return false;
  }
  if (check.main_metric.empty()) {
    reader.error(node.pos, std::string(check.name) +
                               " has no main metric: name one with `metric`, or expect true or "
                               "false");
    return false;
  }
  out = check.main_metric;
  return true;
}

// {metric: NAME, side: SIDE, min: X, max: Y}.
void read_bound(YamlReader& reader, const YamlNode& node, const CheckInfo& check,
                std::vector<Expectation>& out) {
  const bool has_sides = check.name == "availability";
  const std::vector<std::string> keys =
      has_sides ? std::vector<std::string>{"side", "metric", "min", "max"}
                : std::vector<std::string>{"metric", "min", "max"};
  for (const YamlEntry& entry : node.entries) {
    if (entry.key == "side" && !has_sides) {
      reader.error(entry.key_pos, "side only applies to availability");
    } else if (std::find(keys.begin(), keys.end(), entry.key) == keys.end()) {
      reader.error(entry.key_pos, unknown_word_message("key", entry.key, keys));
    }
  }
  Expectation expectation;
  expectation.check = std::string(check.name);
  expectation.kind = Expectation::Kind::kBound;
  expectation.pos = node.pos;
  const bool named = read_bound_metric(reader, node, check, expectation.metric);
  const YamlNode* min = node.find("min");
  const YamlNode* max = node.find("max");
  if (min == nullptr && max == nullptr) {
    reader.error(node.pos, "a bound needs min, max or both");
    return;
  }
  if (!named) return;
  const MetricUnit unit = find_metric(check, expectation.metric)->unit;
  double value = 0.0;
  bool ok = true;
  if (min != nullptr) {
    ok = read_metric_value(reader, *min, unit, value) && ok;
    if (ok) expectation.min = value;
  }
  if (max != nullptr) {
    ok = read_metric_value(reader, *max, unit, value) && ok;
    if (ok) expectation.max = value;
  }
  if (!ok) return;
  if (expectation.min && expectation.max && *expectation.min > *expectation.max) {
    reader.error(min->pos, "min " + min->text + " is above max " + max->text);
    return;
  }
  out.push_back(std::move(expectation));
}

// True when the map `node` names guarantees of `check` rather than a bound: one of its keys
// is something other than a bound's.
bool names_guarantees(const YamlNode& node, const CheckInfo& check) {
  if (check.guarantees.empty()) return false;
  return std::any_of(node.entries.begin(), node.entries.end(), [](const YamlEntry& entry) {
    return entry.key != "metric" && entry.key != "min" && entry.key != "max" &&
           entry.key != "side";
  });
}

// {at-least-once: true, at-most-once: false}: each guarantee's verdict must be pass or fail.
void read_guarantees(YamlReader& reader, const YamlNode& node, const CheckInfo& check,
                     std::vector<Expectation>& out) {
  std::vector<std::string> names(check.guarantees.begin(), check.guarantees.end());
  for (const YamlEntry& entry : node.entries) {
    if (!has_guarantee(check, entry.key)) {
      reader.error(entry.key_pos, unknown_word_message(std::string(check.name) + " guarantee",
                                                       entry.key, names) +
                                      " (a bound takes metric, min and max instead)");
      continue;
    }
    bool pass = true;
    std::string ignored;
    if (!reader.expect_unquoted(entry.value, "true or false")) continue;
    if (!entry.value.is_scalar() || !parse_bool(entry.value.text, pass, ignored)) {
      reader.error(entry.value.pos, "expected true or false, got " + describe_yaml(entry.value));
      continue;
    }
    Expectation expectation;
    expectation.check = std::string(check.name);
    expectation.kind = Expectation::Kind::kGuarantee;
    expectation.guarantee = entry.key;
    expectation.pass = pass;
    expectation.pos = entry.value.pos;
    out.push_back(std::move(expectation));
  }
}

// One expectation: true / false (the verdict), a bound, or a map of guarantees.
void read_expectation(YamlReader& reader, const YamlNode& node, const CheckInfo& check,
                      std::vector<Expectation>& out) {
  if (node.is_map() && names_guarantees(node, check)) {
    read_guarantees(reader, node, check, out);
    return;
  }
  if (node.is_map()) {
    read_bound(reader, node, check, out);
    return;
  }
  bool pass = true;
  std::string ignored;
  if (!reader.expect_unquoted(node, "true or false")) return;
  if (!node.is_scalar() || !parse_bool(node.text, pass, ignored)) {
    reader.error(node.pos, "expected " + std::string(kExpectationNoun) + ", got " +
                               describe_yaml(node));
    return;
  }
  Expectation expectation;
  expectation.check = std::string(check.name);
  expectation.kind = Expectation::Kind::kVerdict;
  expectation.pass = pass;
  expectation.pos = node.pos;
  out.push_back(std::move(expectation));
}

}  // namespace

void read_checks(const YamlNode& node, SectionContext& context, std::vector<std::string>& out) {
  YamlReader& reader = context.reader;
  if (!reader.expect_list(node)) return;
  for (const YamlNode& item : node.items) {
    std::string name;
    if (read_check_name(reader, item, name) == nullptr) continue;
    if (std::find(out.begin(), out.end(), name) != out.end()) {
      reader.error(item.pos, "check '" + name + "' is listed twice");
      continue;
    }
    out.push_back(name);
  }
}

void read_expect(const YamlNode& node, SectionContext& context, std::vector<Expectation>& out) {
  YamlReader& reader = context.reader;
  if (!reader.expect_map(node)) return;
  for (const YamlEntry& entry : node.entries) {
    const CheckInfo* check = find_check(entry.key);
    if (check == nullptr) {
      reader.error(entry.key_pos, unknown_word_message("check", entry.key, check_names()));
      continue;
    }
    if (!entry.value.is_list()) {
      read_expectation(reader, entry.value, *check, out);
      continue;
    }
    if (entry.value.items.empty()) {
      reader.error(entry.value.pos, "expected at least one expectation, got an empty list");
    }
    for (const YamlNode& item : entry.value.items) {
      if (item.is_list()) {
        reader.error(item.pos, "expected true, false or a bound such as {max: 5%}, got a list");
        continue;
      }
      read_expectation(reader, item, *check, out);
    }
  }
}

}  // namespace capsim
