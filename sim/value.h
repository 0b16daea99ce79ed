// The values that client operations carry: nil, integers, strings and lists of values. Enough
// for registers (7), cas ([3 4]), appends ("x y"), sets ([1 2 3]) and transactions
// ([["r" "x" 1] ["w" "y" 2]]), in our histories and in Jepsen's.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace capsim {

class Value {
 public:
  using List = std::vector<Value>;

  Value() = default;  // nil
  Value(std::int64_t integer) : data_(integer) {}  // NOLINT: implicit on purpose, 7 is a Value
  Value(int integer) : data_(static_cast<std::int64_t>(integer)) {}  // NOLINT
  Value(std::string text) : data_(std::move(text)) {}  // NOLINT
  Value(const char* text) : data_(std::string(text)) {}  // NOLINT
  Value(List list) : data_(std::move(list)) {}  // NOLINT

  bool is_nil() const { return std::holds_alternative<std::monostate>(data_); }
  bool is_integer() const { return std::holds_alternative<std::int64_t>(data_); }
  bool is_string() const { return std::holds_alternative<std::string>(data_); }
  bool is_list() const { return std::holds_alternative<List>(data_); }

  // Requires: the matching is_...() is true.
  std::int64_t integer() const { return std::get<std::int64_t>(data_); }
  const std::string& string() const { return std::get<std::string>(data_); }
  const List& list() const { return std::get<List>(data_); }

  // JSON: null, 7, "text", [1,2].
  std::string to_json() const;
  // What a person reads: nil, 7, "text", [1 2].
  std::string to_text() const;

  // Total order (nil < integers < strings < lists), so values can key ordered maps.
  friend std::strong_ordering operator<=>(const Value& a, const Value& b);
  friend bool operator==(const Value& a, const Value& b) = default;

 private:
  std::variant<std::monostate, std::int64_t, std::string, List> data_;
};

// Appends `text` to `out` as a JSON string literal, quotes and escapes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace capsim
