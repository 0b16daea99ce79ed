#include "sim/value.h"

#include <cstdio>

namespace capsim {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string Value::to_json() const {
  if (is_nil()) return "null";
  if (is_integer()) return std::to_string(integer());
  std::string out;
  if (is_string()) {
    append_json_string(out, string());
    return out;
  }
  out += '[';
  for (std::size_t i = 0; i < list().size(); ++i) {
    if (i != 0) out += ',';
    out += list()[i].to_json();
  }
  out += ']';
  return out;
}

std::string Value::to_text() const {
  if (is_nil()) return "nil";
  if (is_integer()) return std::to_string(integer());
  if (is_string()) {
    std::string out;
    append_json_string(out, string());
    return out;
  }
  std::string out = "[";
  for (std::size_t i = 0; i < list().size(); ++i) {
    if (i != 0) out += ' ';
    out += list()[i].to_text();
  }
  return out + "]";
}

std::strong_ordering operator<=>(const Value& a, const Value& b) {
  if (a.data_.index() != b.data_.index()) return a.data_.index() <=> b.data_.index();
  if (a.is_nil()) return std::strong_ordering::equal;
  if (a.is_integer()) return a.integer() <=> b.integer();
  if (a.is_string()) return a.string().compare(b.string()) <=> 0;
  const Value::List& x = a.list();
  const Value::List& y = b.list();
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (auto order = x[i] <=> y[i]; order != 0) return order;
  }
  return x.size() <=> y.size();
}

}  // namespace capsim
