#include "sim/check/models/ids.h"

#include <string>

namespace capsim::models {

namespace {
std::uint64_t mix(std::uint64_t x) {
  // The splitmix64 finalizer: spreads every input bit over the whole word.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

constexpr std::uint64_t kIllegal = 1ULL << 63;
}  // namespace

ValueIds::ValueIds() { values_.emplace_back(); }

std::uint32_t ValueIds::add(const Value& value) {
  values_.push_back(value);
  return static_cast<std::uint32_t>(values_.size() - 1);
}

std::uint32_t ValueIds::id_of(const Value& value) {
  if (value.is_nil()) return 0;
  const auto next = static_cast<std::uint32_t>(values_.size());
  if (value.is_integer()) {
    auto [it, added] = integers_.emplace(value.integer(), next);
    return added ? add(value) : it->second;
  }
  if (value.is_string()) {
    auto [it, added] = strings_.emplace(value.string(), next);
    return added ? add(value) : it->second;
  }
  auto [it, added] = lists_.emplace(value, next);
  return added ? add(value) : it->second;
}

std::uint32_t ValueIds::find(const Value& value) const {
  if (value.is_nil()) return 0;
  if (value.is_integer()) {
    auto it = integers_.find(value.integer());
    return it == integers_.end() ? kNone : it->second;
  }
  if (value.is_string()) {
    auto it = strings_.find(value.string());
    return it == strings_.end() ? kNone : it->second;
  }
  auto it = lists_.find(value);
  return it == lists_.end() ? kNone : it->second;
}

SequenceIds::SequenceIds() { id_of({}); }

std::size_t SequenceIds::Hash::operator()(const std::vector<std::uint32_t>& sequence) const {
  std::uint64_t h = sequence.size();
  for (std::uint32_t item : sequence) h = mix(h ^ item);
  return static_cast<std::size_t>(h);
}

std::uint32_t SequenceIds::id_of(const std::vector<std::uint32_t>& sequence) {
  auto [it, added] = ids_.emplace(sequence, static_cast<std::uint32_t>(sequences_.size()));
  if (added) sequences_.push_back(sequence);
  return it->second;
}

std::size_t TransitionMemo::KeyHash::operator()(const Key& key) const {
  return static_cast<std::size_t>(mix(key.state * 0x9e3779b97f4a7c15ULL + key.op));
}

bool TransitionMemo::find(std::uint64_t state, std::uint32_t op, bool& legal,
                          std::uint64_t& next) const {
  auto it = memo_.find(Key{state, op});
  if (it == memo_.end()) return false;
  legal = (it->second & kIllegal) == 0;
  next = it->second & ~kIllegal;
  return true;
}

void TransitionMemo::remember(std::uint64_t state, std::uint32_t op, bool legal,
                              std::uint64_t next) {
  memo_[Key{state, op}] = legal ? next : kIllegal;
}

std::string shorten(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  text.resize(limit);
  return text + "...";
}

}  // namespace capsim::models
