#include "nodes/kv/crdt/state_codec.h"

#include <cstdint>
#include <limits>

#include "nodes/common/value_codec.h"

namespace capsim::crdt {

namespace {

using codec::put_number;
using codec::put_signed;
using codec::put_value;

void encode_dot(const Dot& dot, std::string& out) {
  put_number(dot.node, ',', out);
  put_number(dot.seq, ';', out);
}

void encode_g_counter(const GCounter& counter, std::string& out) {
  out += 'G';
  put_number(counter.entries().size(), ':', out);
  for (const auto& [node, count] : counter.entries()) {
    put_number(node, ',', out);
    put_number(count, ';', out);
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
  bool number(char stop, std::uint64_t& out) { return codec::read_number(text_, pos_, stop, out); }
  bool signed_number(char stop, std::int64_t& out) {
    return codec::read_signed(text_, pos_, stop, out);
  }
  bool node(char stop, NodeId& out) {
    std::uint64_t number_read = 0;
    if (!number(stop, number_read) || number_read > std::numeric_limits<NodeId>::max()) {
      return false;
    }
    out = static_cast<NodeId>(number_read);
    return true;
  }
  bool count(char stop, std::uint64_t& out) { return codec::read_count(text_, pos_, stop, out); }
  bool value(Value& out) { return codec::read_value(text_, pos_, out); }
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
    put_number(set->added().size(), ':', out);
    for (const auto& [element, dots] : set->added()) {
      put_value(element, out);
      put_number(dots.size(), ':', out);
      for (const Dot& dot : dots) encode_dot(dot, out);
    }
    put_number(set->removed().size(), ':', out);
    for (const Dot& dot : set->removed()) encode_dot(dot, out);
  } else {
    const auto& reg = std::get<LwwRegister>(state);
    out += 'L';
    if (!reg.stamp()) {
      out += "none";
    } else {
      put_signed(reg.stamp()->time.count(), ',', out);
      put_number(reg.stamp()->node, ',', out);
      put_number(reg.stamp()->seq, ';', out);
      put_value(reg.value(), out);
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
  return codec::encode_strings(keys);
}

bool decode_key_list(std::string_view text, std::vector<std::string>& out) {
  return codec::decode_strings(text, out);
}

}  // namespace capsim::crdt
