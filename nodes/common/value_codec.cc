#include "nodes/common/value_codec.h"

#include <charconv>
#include <limits>
#include <utility>

namespace capsim::codec {

namespace {

// Lists nest; a limit keeps a malformed encoding from recursing without end.
constexpr int kMaxValueDepth = 32;

bool read_value_at_depth(std::string_view text, std::size_t& pos, int depth, Value& out) {
  if (depth > kMaxValueDepth || pos >= text.size()) return false;
  const char tag = text[pos++];
  switch (tag) {
    case 'n':
      out = Value();
      return true;
    case 'i': {
      std::int64_t integer = 0;
      if (!read_signed(text, pos, ';', integer)) return false;
      out = Value(integer);
      return true;
    }
    case 's': {
      std::string bytes;
      if (!read_bytes(text, pos, bytes)) return false;
      out = Value(std::move(bytes));
      return true;
    }
    case 'l': {
      std::uint64_t count = 0;
      if (!read_count(text, pos, ':', count)) return false;
      Value::List items(count);
      for (Value& item : items) {
        if (!read_value_at_depth(text, pos, depth + 1, item)) return false;
      }
      out = Value(std::move(items));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

void put_number(std::uint64_t number, char stop, std::string& out) {
  out += std::to_string(number);
  out += stop;
}

void put_signed(std::int64_t number, char stop, std::string& out) {
  out += std::to_string(number);
  out += stop;
}

void put_bytes(std::string_view bytes, std::string& out) {
  put_number(bytes.size(), ':', out);
  out += bytes;
}

void put_value(const Value& value, std::string& out) {
  if (value.is_nil()) {
    out += 'n';
  } else if (value.is_integer()) {
    out += 'i';
    put_signed(value.integer(), ';', out);
  } else if (value.is_string()) {
    out += 's';
    put_bytes(value.string(), out);
  } else {
    out += 'l';
    put_number(value.list().size(), ':', out);
    for (const Value& item : value.list()) put_value(item, out);
  }
}

bool read_number(std::string_view text, std::size_t& pos, char stop, std::uint64_t& out) {
  out = 0;
  const std::size_t start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    const auto digit = static_cast<std::uint64_t>(text[pos] - '0');
    if (out > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
    out = out * 10 + digit;
    ++pos;
  }
  if (pos == start || pos >= text.size() || text[pos] != stop) return false;
  ++pos;
  return true;
}

bool read_signed(std::string_view text, std::size_t& pos, char stop, std::int64_t& out) {
  const bool negative = pos < text.size() && text[pos] == '-';
  if (negative) ++pos;
  std::uint64_t magnitude = 0;
  if (!read_number(text, pos, stop, magnitude)) return false;
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  if (magnitude > limit) return false;
  // Negating in unsigned arithmetic keeps INT64_MIN representable.
  out = static_cast<std::int64_t>(negative ? 0 - magnitude : magnitude);
  return true;
}

bool read_count(std::string_view text, std::size_t& pos, char stop, std::uint64_t& out) {
  return read_number(text, pos, stop, out) && out <= text.size() - pos;
}

bool read_bytes(std::string_view text, std::size_t& pos, std::string& out) {
  std::uint64_t length = 0;
  if (!read_count(text, pos, ':', length)) return false;
  out.assign(text.substr(pos, length));
  pos += length;
  return true;
}

bool read_value(std::string_view text, std::size_t& pos, Value& out) {
  return read_value_at_depth(text, pos, 0, out);
}

std::string encode_strings(const std::vector<std::string>& strings) {
  std::string out;
  put_number(strings.size(), ':', out);
  for (const std::string& s : strings) put_bytes(s, out);
  return out;
}

bool decode_strings(std::string_view text, std::vector<std::string>& out) {
  std::size_t pos = 0;
  std::uint64_t count = 0;
  if (!read_count(text, pos, ':', count)) return false;
  out.clear();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string s;
    if (!read_bytes(text, pos, s)) return false;
    out.push_back(std::move(s));
  }
  return pos == text.size();
}

std::optional<std::uint64_t> parse_stored_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> read_stored_number(const Disk& disk, std::string_view key) {
  const std::optional<std::string> text = disk.get(key);
  if (!text) return std::nullopt;
  return parse_stored_number(*text);
}

}  // namespace capsim::codec
