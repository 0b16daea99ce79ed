// Dense ids for the values and compound states that model machines handle, so that a state fits
// in a ModelState and comparing two states is comparing two numbers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/value.h"

namespace capsim::models {

// Values numbered in order of first appearance; nil is always 0. Integers and strings, the
// common values, are looked up by hash; lists by ordered comparison.
class ValueIds {
 public:
  ValueIds();
  std::uint32_t id_of(const Value& value);
  // The id of `value` if it has one; otherwise kNone.
  std::uint32_t find(const Value& value) const;
  const Value& value(std::uint32_t id) const { return values_[id]; }
  std::size_t size() const { return values_.size(); }

  static constexpr std::uint32_t kNone = 0xffffffffU;

 private:
  std::uint32_t add(const Value& value);

  // Only looked up, never iterated, so their order cannot leak into results.
  std::unordered_map<std::int64_t, std::uint32_t> integers_;
  std::unordered_map<std::string, std::uint32_t> strings_;
  std::map<Value, std::uint32_t> lists_;
  std::vector<Value> values_;
};

// Sequences of small ids (a set's sorted members, a queue's contents, a register file) numbered
// in order of first appearance. The empty sequence is always 0.
class SequenceIds {
 public:
  SequenceIds();
  std::uint32_t id_of(const std::vector<std::uint32_t>& sequence);
  const std::vector<std::uint32_t>& sequence(std::uint32_t id) const { return sequences_[id]; }

 private:
  struct Hash {
    std::size_t operator()(const std::vector<std::uint32_t>& sequence) const;
  };
  // Only looked up, never iterated, so its order cannot leak into results.
  std::unordered_map<std::vector<std::uint32_t>, std::uint32_t, Hash> ids_;
  std::vector<std::vector<std::uint32_t>> sequences_;
};

// A memo of transitions (state, operation) -> next state, for machines whose step is costly.
class TransitionMemo {
 public:
  // Returns true and sets `next` when the transition is known. `legal` says whether it exists.
  bool find(std::uint64_t state, std::uint32_t op, bool& legal, std::uint64_t& next) const;
  void remember(std::uint64_t state, std::uint32_t op, bool legal, std::uint64_t next);

 private:
  struct Key {
    std::uint64_t state;
    std::uint32_t op;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  // Only looked up, never iterated. The top bit of the value marks an illegal transition.
  std::unordered_map<Key, std::uint64_t, KeyHash> memo_;
};

// The values in `text` form for explanations, shortened past `limit` characters.
std::string shorten(std::string text, std::size_t limit = 120);

}  // namespace capsim::models
