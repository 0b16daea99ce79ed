#include "nodes/kv/quorum/version_codec.h"

#include <cstdint>

namespace capsim::quorum {
namespace {

// Lists nest; a limit keeps a malformed encoding from recursing without end.
constexpr int kMaxValueDepth = 32;

void put_number(std::uint64_t number, char stop, std::string& out) {
  out += std::to_string(number);
  out += stop;
}

void put_signed(std::int64_t number, char stop, std::string& out) {
  out += std::to_string(number);
  out += stop;
}

void encode_value(const Value& value, std::string& out) {
  if (value.is_nil()) {
    out += 'n';
  } else if (value.is_integer()) {
    out += 'i';
    put_signed(value.integer(), ';', out);
  } else if (value.is_string()) {
    out += 's';
    put_number(value.string().size(), ':', out);
    out += value.string();
  } else {
    out += 'l';
    put_number(value.list().size(), ':', out);
    for (const Value& item : value.list()) encode_value(item, out);
  }
}

// Reads text[pos..] as a decimal number ending in `stop`, and moves past the stop.
bool get_number(std::string_view text, std::size_t& pos, char stop, std::uint64_t& out) {
  out = 0;
  const std::size_t start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    const auto digit = static_cast<std::uint64_t>(text[pos] - '0');
    if (out > (UINT64_MAX - digit) / 10) return false;
    out = out * 10 + digit;
    ++pos;
  }
  if (pos == start || pos >= text.size() || text[pos] != stop) return false;
  ++pos;
  return true;
}

bool get_signed(std::string_view text, std::size_t& pos, char stop, std::int64_t& out) {
  const bool negative = pos < text.size() && text[pos] == '-';
  if (negative) ++pos;
  std::uint64_t magnitude = 0;
  if (!get_number(text, pos, stop, magnitude)) return false;
  if (magnitude > static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return false;
  // Negating in unsigned arithmetic keeps INT64_MIN representable.
  out = static_cast<std::int64_t>(negative ? 0 - magnitude : magnitude);
  return true;
}

bool decode_value(std::string_view text, std::size_t& pos, int depth, Value& out) {
  if (depth > kMaxValueDepth || pos >= text.size()) return false;
  const char tag = text[pos++];
  std::uint64_t number = 0;
  if (tag == 'n') {
    out = Value();
    return true;
  }
  if (tag == 'i') {
    std::int64_t integer = 0;
    if (!get_signed(text, pos, ';', integer)) return false;
    out = Value(integer);
    return true;
  }
  if (tag == 's') {
    if (!get_number(text, pos, ':', number) || number > text.size() - pos) return false;
    out = Value(std::string(text.substr(pos, number)));
    pos += number;
    return true;
  }
  if (tag == 'l') {
    if (!get_number(text, pos, ':', number) || number > text.size() - pos) return false;
    Value::List items;
    for (std::uint64_t i = 0; i < number; ++i) {
      Value item;
      if (!decode_value(text, pos, depth + 1, item)) return false;
      items.push_back(std::move(item));
    }
    out = Value(std::move(items));
    return true;
  }
  return false;
}

void encode_version(const Version& version, std::string& out) {
  encode_value(version.value, out);
  put_number(version.dot.node, ';', out);
  put_number(version.dot.counter, ';', out);
  put_signed(version.stamp.count(), ';', out);
  put_number(version.context.entries().size(), ':', out);
  for (const auto& [node, counter] : version.context.entries()) {
    put_number(node, ';', out);
    put_number(counter, ';', out);
  }
}

bool decode_version(std::string_view text, std::size_t& pos, Version& out) {
  std::uint64_t node = 0;
  std::uint64_t count = 0;
  std::int64_t stamp = 0;
  if (!decode_value(text, pos, 0, out.value)) return false;
  if (!get_number(text, pos, ';', node) || node > kNoNode) return false;
  if (!get_number(text, pos, ';', out.dot.counter)) return false;
  out.dot.node = static_cast<NodeId>(node);
  if (!get_signed(text, pos, ';', stamp)) return false;
  out.stamp = Time{stamp};
  if (!get_number(text, pos, ':', count) || count > text.size() - pos) return false;
  out.context = VectorClock{};
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t counter = 0;
    if (!get_number(text, pos, ';', node) || node > kNoNode) return false;
    if (!get_number(text, pos, ';', counter)) return false;
    out.context.advance(static_cast<NodeId>(node), counter);
  }
  return true;
}

}  // namespace

std::string encode_versions(const Versions& versions) {
  std::string out;
  put_number(versions.size(), ':', out);
  for (const Version& v : versions) encode_version(v, out);
  return out;
}

bool decode_versions(std::string_view text, Versions& out) {
  std::size_t pos = 0;
  std::uint64_t count = 0;
  if (!get_number(text, pos, ':', count) || count > text.size() - pos) return false;
  out.clear();
  for (std::uint64_t i = 0; i < count; ++i) {
    Version version;
    if (!decode_version(text, pos, version)) return false;
    out.push_back(std::move(version));
  }
  return pos == text.size();
}

std::string encode_strings(const std::vector<std::string>& strings) {
  std::string out;
  put_number(strings.size(), ':', out);
  for (const std::string& s : strings) {
    put_number(s.size(), ':', out);
    out += s;
  }
  return out;
}

bool decode_strings(std::string_view text, std::vector<std::string>& out) {
  std::size_t pos = 0;
  std::uint64_t count = 0;
  if (!get_number(text, pos, ':', count) || count > text.size() - pos) return false;
  out.clear();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t length = 0;
    if (!get_number(text, pos, ':', length) || length > text.size() - pos) return false;
    out.emplace_back(text.substr(pos, length));
    pos += length;
  }
  return pos == text.size();
}

}  // namespace capsim::quorum
