// Strict reading of YamlNode values into typed fields, for the scenario loader. Each read
// reports what it expected at the node's position and returns false; the caller then keeps
// its default and carries on, so that one pass finds every problem in a file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/probability.h"
#include "sim/time.h"
#include "sim/yaml_tree.h"

namespace capsim {

class YamlReader {
 public:
  explicit YamlReader(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  void error(const SourcePos& pos, std::string message) {
    diagnostics_.error(pos, std::move(message));
  }
  Diagnostics& diagnostics() { return diagnostics_; }

  // "expected a map, got a list".
  bool expect_map(const YamlNode& node);
  bool expect_list(const YamlNode& node);
  // Reports every key of `map` that is not in `allowed`, at the key:
  // "unknown key 'nodez' (did you mean 'nodes'?)", or with the valid keys when none is close.
  void check_keys(const YamlNode& map, const std::vector<std::string>& allowed);
  // The value under `key`; reports "missing required key 'KEY'" at the map when absent.
  const YamlNode* require(const YamlNode& map, std::string_view key);

  // False after reporting "expected a number, got the string \"3\" (...)" when `node` was
  // written in quotes: a number or a boolean is never a string. `what` is "a number" or
  // "true or false".
  bool expect_unquoted(const YamlNode& node, std::string_view what);
  // A scalar as text; `what` names what was expected ("a protocol name") for the error.
  bool read_scalar(const YamlNode& node, std::string_view what, std::string& out);
  // A whole number in [min, max], written without quotes (as are the seed, numbers and
  // booleans below).
  bool read_integer(const YamlNode& node, std::int64_t min, std::int64_t max, std::int64_t& out);
  // A duration with a unit; never negative.
  bool read_duration(const YamlNode& node, Duration& out);
  // As read_duration, and also greater than zero ("KEY must be greater than 0, got 0s").
  bool read_positive_duration(const YamlNode& node, std::string_view key, Duration& out);
  // A duration that may carry a sign: "-200ms", "+1s".
  bool read_signed_duration(const YamlNode& node, Duration& out);
  bool read_percent(const YamlNode& node, Probability& out);
  // Operations per second times 1000, from "200/s".
  bool read_rate(const YamlNode& node, std::uint64_t& milli_per_second);
  bool read_bool(const YamlNode& node, bool& out);
  // An unsigned 64-bit number, decimal or hex ("0x5eed").
  bool read_seed(const YamlNode& node, std::uint64_t& out);
  // A finite decimal number above 0, such as "2" or "1.5".
  bool read_positive_number(const YamlNode& node, double& out);

 private:
  // Reports "expected WHAT, got ..." unless `node` is a scalar.
  bool expect_scalar(const YamlNode& node, std::string_view what);

  Diagnostics& diagnostics_;
};

// "a, b, c": a plain list for "expected one of: ..." hints.
std::string list_choices(const std::vector<std::string>& choices);

// "unknown KIND 'WORD' (did you mean 'X'?)" when a choice is close, else
// "unknown KIND 'WORD' (expected one of: A, B, C)".
std::string unknown_word_message(std::string_view kind, const std::string& word,
                                 const std::vector<std::string>& choices);

}  // namespace capsim
