// The memory of the linearizability search: which (set of operations linearized, model state)
// pairs it has already reached. Reaching one again means repeating work already done, so the
// search skips it (the pruning of Lowe's algorithm).
//
// It also skips a pair that a known one covers: (S, s) covers (S + P, s) when P holds only
// operations with unknown outcomes. Everything possible after S + P is possible after S too
// (those operations may simply never take effect, and having no completion they never hold
// others back), so if S led nowhere, or is still being explored further up, S + P adds
// nothing. Histories with many timeouts otherwise multiply their configurations by every
// subset of the timed-out writes placed so far.
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

  // A hash of the set's required part, kept up to date incrementally (Zobrist: the xor of a
  // random word per member), so hashing costs nothing per step.
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
  // The cache forgets everything when it would hold more than `limit_bytes`. That only costs
  // pruning (the search may redo work), never correctness, and it keeps memory bounded on
  // histories whose search space explodes.
  explicit SearchCache(std::size_t limit_bytes = kDefaultLimitBytes);

  static constexpr std::size_t kDefaultLimitBytes = std::size_t{256} * 1024 * 1024;

  // Records (set, state). Returns true when the pair is new, false when it was already known
  // or is covered by a known pair.
  bool insert(const LinearizedSet& set, ModelState state);

  // Configurations recorded (those later found covered by a newer one, or forgotten, included).
  std::size_t size() const { return recorded_; }
  // Memory held, in bytes (approximately: containers may hold some spare capacity).
  std::size_t bytes() const { return bytes_; }
  // How many times the cache forgot everything to stay within its limit.
  std::size_t resets() const { return resets_; }

 private:
  // The configurations that share a required part and a state; they differ in which optional
  // operations they hold, kept as an antichain (no member covers another). The first member's
  // words follow the window in words_; further members, rare, live in extra_.
  struct Group {
    std::uint64_t hash;
    ModelState state;
    std::uint64_t offset;  // where its window words start in words_
    std::uint32_t full;
    std::uint32_t window;  // number of window words
    std::uint32_t extra;   // index in extra_, or kNoExtra
  };
  static constexpr std::uint32_t kNoExtra = 0xffffffffU;

  bool same_required(const Group& group, std::uint64_t hash, const LinearizedSet& set,
                     ModelState state) const;
  bool add_optional(Group& group, const LinearizedSet& set);
  void grow();
  void reset();

  std::vector<Group> groups_;
  std::vector<std::uint64_t> words_;
  std::vector<std::vector<std::uint64_t>> extra_;  // members after the first, in a row
  std::vector<std::uint32_t> slots_;               // group index + 1; 0 is empty (open addressing)
  std::uint32_t shift_;                            // 64 - log2(slots_.size())
  std::size_t limit_bytes_;
  std::size_t bytes_ = 0;
  std::size_t recorded_ = 0;
  std::size_t resets_ = 0;
};

}  // namespace capsim
