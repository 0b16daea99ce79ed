// Protocol options: each protocol declares the options it takes (name, type, default, limits,
// help); the scenario loader checks `cluster.options` against that declaration, so typos and
// wrong types are reported with their position, and `capsim list` can show every option.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/probability.h"
#include "sim/time.h"

namespace capsim {

// kNames: a list of names (letters, digits, '-', '_', '.'), written as a YAML list
// ([orders, payments]) or one name; kept as the names joined by commas ("" for none), so it is
// one std::string among the values and `describe()` shows it as orders,payments.
enum class OptionType { kInteger, kDuration, kBool, kChoice, kPercent, kNames };

struct OptionSpec {
  std::string name;
  OptionType type = OptionType::kInteger;
  std::string default_text;          // parsed like a scenario value: "2", "150ms", "async"
  std::string help;                  // one line for `capsim list`
  std::vector<std::string> choices;  // kChoice only
  std::int64_t min = 0;              // kInteger only
  std::int64_t max = 1'000'000;      // kInteger only
  // kDuration only: the period of something the protocol repeats (a heartbeat, gossip, an
  // election timeout). The loader rejects a value far below the network's latency
  // (sim/interval_rules.h); 0 is left to the protocol (it may mean "off").
  bool periodic = false;
};

// The fields every declaration has; a protocol sets `choices` or `min`/`max` on the result where
// they apply.
OptionSpec option_spec(std::string name, OptionType type, std::string default_text,
                       std::string help);
// An integer option accepted only within min..max.
OptionSpec integer_option_spec(std::string name, std::string default_text, std::string help,
                               std::int64_t min, std::int64_t max);

using OptionValue = std::variant<std::int64_t, Duration, bool, std::string, Probability>;

// Typed option values after validation. Getters require the option to be declared with that
// type (a mismatch is a bug in the protocol, caught by CAPSIM_ASSERT).
class Options {
 public:
  void set(std::string name, OptionValue value, SourcePos pos = {});
  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }

  std::int64_t integer(std::string_view name) const;
  Duration duration(std::string_view name) const;
  bool flag(std::string_view name) const;
  const std::string& choice(std::string_view name) const;
  // A kNames option's names, in the order written.
  std::vector<std::string> names(std::string_view name) const;
  Probability percent(std::string_view name) const;
  // Where the value was written (line 0 for a default), for cross-option errors.
  SourcePos position(std::string_view name) const;
  // "n=3 r=2 w=2": every value in name order, for summaries and capsules.
  std::string describe() const;
  const std::map<std::string, OptionValue, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, OptionValue, std::less<>> values_;
  std::map<std::string, SourcePos, std::less<>> positions_;
};

// Parses `text` as the value of `spec`. Returns false with `error` saying what was expected.
bool parse_option_value(const OptionSpec& spec, std::string_view text, OptionValue& out,
                        std::string& error);

// The names of a kNames value ("orders,payments"), in order; none for "".
std::vector<std::string> split_names(std::string_view joined);

// The value as a scenario would write it: "150ms", "true", "2%".
std::string format_option_value(const OptionValue& value);

// "integer 1..9", "duration", "one of sync, async": for help texts.
std::string describe_option_type(const OptionSpec& spec);

// Reports, at its position, each of the duration options `names` that was given and is not
// longer than zero (an interval or timeout of 0 would make a protocol spin or never wait).
void require_positive_durations(const Options& options,
                                std::initializer_list<std::string_view> names,
                                Diagnostics& diagnostics);

}  // namespace capsim
