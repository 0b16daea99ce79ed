// The memory of the linearizability search: which (set of operations linearized, model state)
// pairs it has already reached. Reaching one again means repeating work already done, so the
// search skips it (the pruning of Lowe's algorithm).
//
// The set is a bitset over the group's operations, but it is stored compressed: operations are
// numbered in invoke order, and every operation that completed before the earliest one still
// open is already linearized, so the bits form a long run of ones, a short ragged window, then
// zeros. A stored set keeps only the length of the run (in words) and the window, plus the bits
// of the operations whose outcome is unknown (they may stay unlinearized forever, so they are
// numbered apart and do not hold the run back). Memory per pair is a few words, not n bits.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/check/model.h"

namespace capsim {

class LinearizedSet {
 public:
  // Bits [0, required) are for operations that must be linearized, [required, required +
  // optional) for operations that may be.
  LinearizedSet(std::uint32_t required, std::uint32_t optional);

  void set(std::uint32_t bit);
  void clear(std::uint32_t bit);
  bool test(std::uint32_t bit) const;

  // A hash of the set, kept up to date incrementally (Zobrist: the xor of a random word per
  // member), so hashing costs nothing per step.
  std::uint64_t hash() const { return hash_; }

  // The compressed form: leading words that are all ones, the words after them up to the last
  // non-zero required word, and the optional operations' words.
  std::uint32_t full_words() const { return full_; }
  std::span<const std::uint64_t> window() const;
  std::span<const std::uint64_t> optional_words() const;

 private:
  std::uint32_t word_of(std::uint32_t bit) const;
  std::uint64_t mask_of(std::uint32_t bit) const;

  std::uint32_t required_;
  std::uint32_t required_words_;
  std::vector<std::uint64_t> words_;
  std::vector<std::uint64_t> zobrist_;
  std::uint32_t full_ = 0;  // words_[0, full_) are all ones
  std::uint32_t end_ = 0;   // one past the last non-zero required word
  std::uint64_t hash_ = 0;
};

class SearchCache {
 public:
  SearchCache();

  // Records (set, state). Returns true when the pair is new, false when it was already known.
  bool insert(const LinearizedSet& set, ModelState state);

  std::size_t size() const { return entries_.size(); }
  // Memory held, in bytes.
  std::size_t bytes() const;

 private:
  struct Entry {
    std::uint64_t hash;
    ModelState state;
    std::uint64_t offset;  // where its words start in words_
    std::uint32_t full;
    std::uint32_t window;  // number of window words; the optional words follow them
  };

  bool matches(const Entry& entry, std::uint64_t hash, const LinearizedSet& set,
               ModelState state) const;
  void grow();

  std::vector<Entry> entries_;
  std::vector<std::uint64_t> words_;
  std::vector<std::uint32_t> slots_;  // entry index + 1; 0 is empty (open addressing)
  std::uint32_t shift_;               // 64 - log2(slots_.size())
};

}  // namespace capsim
