#include "nodes/kv/crdt/state_codec.h"

#include <cstdint>
#include <limits>

namespace capsim::crdt {

namespace {

// Lists nest; a bound keeps a malformed entry from recursing without end.
constexpr int kMaxValueDepth = 32;

void put_number(std::string& out, std::uint64_t number, char stop) {
  out += std::to_string(number);
  out += stop;
}

void put_signed(std::string& out, std::int64_t number, char stop) {
  out += std::to_string(number);
  out += stop;
}

void encode_value(const Value& value, std::string& out) {
  if (value.is_nil()) {
    out += 'n';
  } else if (value.is_integer()) {
    out += 'i';
    put_signed(out, value.integer(), ';');
  } else if (value.is_string()) {
    out += 's';
    put_number(out, value.string().size(), ':');
    out += value.string();
  } else {
    out += 'l';
    put_number(out, value.list().size(), ':');
    for (const Value& item : value.list()) encode_value(item, out);
  }
}

void encode_dot(const Dot& dot, std::string& out) {
  put_number(out, dot.node, ',');
  put_number(out, dot.seq, ';');
}

void encode_g_counter(const GCounter& counter, std::string& out) {
  out += 'G';
  put_number(out, counter.entries().size(), ':');
  for (const auto& [node, count] : counter.entries()) {
    put_number(out, node, ',');
    put_number(out, count, ';');
  }
}

// Reads left to right; every method returns false on malformed input and then the reader
// must not be used further.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool at_end() const { return pos_ == text_.size(); }
  bool take(char expected) {
    if (pos_ >= text_.size() || text_[pos_] != expected) return false;
    ++pos_;
    return true;
  }
  // An unsigned decimal number followed by `stop`.
  bool number(char stop, std::uint64_t& out) {
    out = 0;
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const auto digit = static_cast<std::uint64_t>(text_[pos_] - '0');
      if (out > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
      out = out * 10 + digit;
      ++pos_;
    }
    return pos_ != start && take(stop);
  }
  bool signed_number(char stop, std::int64_t& out) {
    const bool negative = take('-');
    std::uint64_t magnitude = 0;
    if (!number(stop, magnitude)) return false;
    const std::uint64_t limit =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
    if (magnitude > limit) return false;
    // Negating in unsigned arithmetic keeps INT64_MIN representable.
    out = static_cast<std::int64_t>(negative ? 0 - magnitude : magnitude);
    return true;
  }
  bool node(char stop, NodeId& out) {
    std::uint64_t number_read = 0;
    if (!number(stop, number_read) || number_read > std::numeric_limits<NodeId>::max()) {
      return false;
    }
    out = static_cast<NodeId>(number_read);
    return true;
  }
  // A count of items that each take at least one byte, so a huge count fails at once.
  bool count(char stop, std::uint64_t& out) {
    return number(stop, out) && out <= text_.size() - pos_;
  }
  bool bytes(std::uint64_t length, std::string& out) {
    if (length > text_.size() - pos_) return false;
    out.assign(text_.substr(pos_, length));
    pos_ += length;
    return true;
  }
  bool value(Value& out, int depth = 0) {
    if (depth > kMaxValueDepth || pos_ >= text_.size()) return false;
    const char tag = text_[pos_++];
    std::uint64_t length = 0;
    switch (tag) {
      case 'n':
        out = Value();
        return true;
      case 'i': {
        std::int64_t integer = 0;
        if (!signed_number(';', integer)) return false;
        out = Value(integer);
        return true;
      }
      case 's': {
        std::string text;
        if (!number(':', length) || !bytes(length, text)) return false;
        out = Value(std::move(text));
        return true;
      }
      case 'l': {
        if (!count(':', length)) return false;
        Value::List items(length);
        for (Value& item : items) {
          if (!value(item, depth + 1)) return false;
        }
        out = Value(std::move(items));
        return true;
      }
      default:
        return false;
    }
  }
  bool dot(Dot& out) { return node(',', out.node) && number(';', out.seq); }
  bool g_counter(GCounter& out) {
    std::uint64_t entries = 0;
    if (!take('G') || !count(':', entries)) return false;
    for (std::uint64_t i = 0; i < entries; ++i) {
      NodeId owner = 0;
      std::uint64_t amount = 0;
      if (!node(',', owner) || !number(';', amount)) return false;
      out.set_entry(owner, amount);
    }
    return true;
  }
  bool or_set(OrSet& out) {
    std::uint64_t elements = 0;
    if (!count(':', elements)) return false;
    for (std::uint64_t i = 0; i < elements; ++i) {
      Value element;
      std::uint64_t dots = 0;
      if (!value(element) || !count(':', dots)) return false;
      for (std::uint64_t j = 0; j < dots; ++j) {
        Dot tag;
        if (!dot(tag)) return false;
        out.insert_added(element, tag);
      }
    }
    std::uint64_t tombstones = 0;
    if (!count(':', tombstones)) return false;
    for (std::uint64_t i = 0; i < tombstones; ++i) {
      Dot tag;
      if (!dot(tag)) return false;
      out.insert_removed(tag);
    }
    return true;
  }
  bool lww_register(LwwRegister& out) {
    if (text_.substr(pos_) == "none") {
      pos_ = text_.size();
      out = LwwRegister();
      return true;
    }
    std::int64_t time = 0;
    Stamp stamp;
    Value held;
    if (!signed_number(',', time) || !node(',', stamp.node) || !number(';', stamp.seq) ||
        !value(held)) {
      return false;
    }
    stamp.time = Time{time};
    out = LwwRegister();
    out.assign(held, stamp);
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_key_state(const KeyState& state) {
  std::string out;
  if (const auto* counter = std::get_if<GCounter>(&state)) {
    encode_g_counter(*counter, out);
  } else if (const auto* counter = std::get_if<PnCounter>(&state)) {
    out += 'P';
    encode_g_counter(counter->increments(), out);
    encode_g_counter(counter->decrements(), out);
  } else if (const auto* set = std::get_if<OrSet>(&state)) {
    out += 'S';
    put_number(out, set->added().size(), ':');
    for (const auto& [element, dots] : set->added()) {
      encode_value(element, out);
      put_number(out, dots.size(), ':');
      for (const Dot& dot : dots) encode_dot(dot, out);
    }
    put_number(out, set->removed().size(), ':');
    for (const Dot& dot : set->removed()) encode_dot(dot, out);
  } else {
    const auto& reg = std::get<LwwRegister>(state);
    out += 'L';
    if (!reg.stamp()) {
      out += "none";
    } else {
      put_signed(out, reg.stamp()->time.count(), ',');
      put_number(out, reg.stamp()->node, ',');
      put_number(out, reg.stamp()->seq, ';');
      encode_value(reg.value(), out);
    }
  }
  return out;
}

bool decode_key_state(std::string_view text, KeyState& out) {
  if (text.empty()) return false;
  const char tag = text.front();
  if (tag == 'G') {
    Reader reader(text);
    GCounter counter;
    if (!reader.g_counter(counter) || !reader.at_end()) return false;
    out = std::move(counter);
    return true;
  }
  Reader reader(text.substr(1));
  bool ok = false;
  if (tag == 'P') {
    PnCounter counter;
    ok = reader.g_counter(counter.increments()) && reader.g_counter(counter.decrements());
    if (ok) out = std::move(counter);
  } else if (tag == 'S') {
    OrSet set;
    ok = reader.or_set(set);
    if (ok) out = std::move(set);
  } else if (tag == 'L') {
    LwwRegister reg;
    ok = reader.lww_register(reg);
    if (ok) out = std::move(reg);
  }
  return ok && reader.at_end();
}

std::string encode_key_list(const std::vector<std::string>& keys) {
  std::string out;
  put_number(out, keys.size(), ':');
  for (const std::string& key : keys) {
    put_number(out, key.size(), ':');
    out += key;
  }
  return out;
}

bool decode_key_list(std::string_view text, std::vector<std::string>& out) {
  Reader reader(text);
  std::uint64_t count = 0;
  if (!reader.count(':', count)) return false;
  out.clear();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t length = 0;
    std::string key;
    if (!reader.number(':', length) || !reader.bytes(length, key)) return false;
    out.push_back(std::move(key));
  }
  return reader.at_end();
}

}  // namespace capsim::crdt
