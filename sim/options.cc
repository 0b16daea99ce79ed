#include "sim/options.h"

#include "sim/assert.h"
#include "sim/units.h"

namespace capsim {

OptionSpec option_spec(std::string name, OptionType type, std::string default_text,
                       std::string help) {
  OptionSpec result;
  result.name = std::move(name);
  result.type = type;
  result.default_text = std::move(default_text);
  result.help = std::move(help);
  return result;
}

OptionSpec integer_option_spec(std::string name, std::string default_text, std::string help,
                               std::int64_t min, std::int64_t max) {
  OptionSpec result =
      option_spec(std::move(name), OptionType::kInteger, std::move(default_text), std::move(help));
  result.min = min;
  result.max = max;
  return result;
}

void Options::set(std::string name, OptionValue value, SourcePos pos) {
  positions_.insert_or_assign(name, std::move(pos));
  values_.insert_or_assign(std::move(name), std::move(value));
}

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

// Checks each comma-separated name of `text`: not empty, only name characters, not twice.
bool parse_names(std::string_view text, std::string& error) {
  const std::vector<std::string> names = split_names(text);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name.empty()) {
      error = "expected names separated by commas, got an empty name in '" + std::string(text) +
              "'";
      return false;
    }
    for (const char c : name) {
      if (!is_name_char(c)) {
        error = "name '" + name + "' may only contain letters, digits, '-', '_' and '.'";
        return false;
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (names[j] == name) {
        error = "name '" + name + "' is listed twice";
        return false;
      }
    }
  }
  return true;
}

template <class T>
const T& typed(const std::map<std::string, OptionValue, std::less<>>& values,
               std::string_view name) {
  auto it = values.find(name);
  CAPSIM_ASSERT(it != values.end());
  const T* value = std::get_if<T>(&it->second);
  CAPSIM_ASSERT(value != nullptr);
  return *value;
}
}  // namespace

std::int64_t Options::integer(std::string_view name) const {
  return typed<std::int64_t>(values_, name);
}
Duration Options::duration(std::string_view name) const { return typed<Duration>(values_, name); }
bool Options::flag(std::string_view name) const { return typed<bool>(values_, name); }
const std::string& Options::choice(std::string_view name) const {
  return typed<std::string>(values_, name);
}
std::vector<std::string> Options::names(std::string_view name) const {
  return split_names(typed<std::string>(values_, name));
}

std::vector<std::string> split_names(std::string_view joined) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t comma = joined.find(',', start);
    if (comma == std::string_view::npos) comma = joined.size();
    names.emplace_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

Probability Options::percent(std::string_view name) const {
  return typed<Probability>(values_, name);
}

SourcePos Options::position(std::string_view name) const {
  auto it = positions_.find(name);
  return it == positions_.end() ? SourcePos{} : it->second;
}

std::string Options::describe() const {
  std::string text;
  for (const auto& [name, value] : values_) {
    if (!text.empty()) text += " ";
    text += name + "=" + format_option_value(value);
  }
  return text;
}

bool parse_option_value(const OptionSpec& spec, std::string_view text, OptionValue& out,
                        std::string& error) {
  switch (spec.type) {
    case OptionType::kInteger: {
      std::int64_t value = 0;
      if (!parse_integer(text, spec.min, spec.max, value, error)) return false;
      out = value;
      return true;
    }
    case OptionType::kDuration: {
      Duration value{0};
      if (!parse_duration(text, value, error)) return false;
      out = value;
      return true;
    }
    case OptionType::kBool: {
      bool value = false;
      if (!parse_bool(text, value, error)) return false;
      out = value;
      return true;
    }
    case OptionType::kPercent: {
      Probability value;
      if (!parse_percent(text, value, error)) return false;
      out = value;
      return true;
    }
    case OptionType::kNames: {
      if (!parse_names(text, error)) return false;
      out = std::string(text);
      return true;
    }
    case OptionType::kChoice: {
      for (const auto& choice : spec.choices) {
        if (choice == text) {
          out = choice;
          return true;
        }
      }
      error = "expected one of " + join_choices(spec.choices) + ", got '" + std::string(text) + "'";
      const std::string hint = closest_match(std::string(text), spec.choices);
      if (!hint.empty()) error += " (did you mean '" + hint + "'?)";
      return false;
    }
  }
  error = "unsupported option type";
  return false;
}

std::string format_option_value(const OptionValue& value) {
  struct Formatter {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(Duration v) const { return format_duration(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(Probability v) const { return v.to_string(); }
  };
  return std::visit(Formatter{}, value);
}

std::string describe_option_type(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::kInteger:
      return "integer " + std::to_string(spec.min) + ".." + std::to_string(spec.max);
    case OptionType::kDuration: return "duration";
    case OptionType::kBool: return "true | false";
    case OptionType::kPercent: return "percentage";
    case OptionType::kNames: return "names";
    case OptionType::kChoice: {
      std::string text;
      for (const auto& choice : spec.choices) text += (text.empty() ? "" : " | ") + choice;
      return text;
    }
  }
  return "";
}

void require_positive_durations(const Options& options,
                                std::initializer_list<std::string_view> names,
                                Diagnostics& diagnostics) {
  for (const std::string_view name : names) {
    if (options.has(name) && options.duration(name) <= Duration{0}) {
      diagnostics.error(options.position(name), std::string(name) + " must be longer than 0ms");
    }
  }
}

}  // namespace capsim
