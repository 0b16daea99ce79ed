#include "sim/check/search_cache.h"

#include <algorithm>

#include "sim/assert.h"

namespace capsim {
namespace {

std::uint64_t mix(std::uint64_t x) {
  // The splitmix64 finalizer.
  x += 0x9e3779b97f4a7c15ULL;
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

constexpr std::uint64_t kAllOnes = ~0ULL;
constexpr std::uint32_t kInitialSlotsLog2 = 10;

}  // namespace

LinearizedSet::LinearizedSet(std::uint32_t required, std::uint32_t optional)
    : required_(required), required_words_((required + 63) / 64) {
  words_.assign(required_words_ + (optional + 63) / 64, 0);
  zobrist_.resize(static_cast<std::size_t>(required) + optional);
  for (std::size_t i = 0; i < zobrist_.size(); ++i) zobrist_[i] = mix(i);
}

std::uint32_t LinearizedSet::word_of(std::uint32_t bit) const {
  return bit < required_ ? bit / 64 : required_words_ + (bit - required_) / 64;
}

std::uint64_t LinearizedSet::mask_of(std::uint32_t bit) const {
  return 1ULL << ((bit < required_ ? bit : bit - required_) % 64);
}

bool LinearizedSet::test(std::uint32_t bit) const {
  return (words_[word_of(bit)] & mask_of(bit)) != 0;
}

void LinearizedSet::set(std::uint32_t bit) {
  const std::uint32_t word = word_of(bit);
  CAPSIM_ASSERT((words_[word] & mask_of(bit)) == 0);
  words_[word] |= mask_of(bit);
  hash_ ^= zobrist_[bit];
  if (word >= required_words_) return;
  end_ = std::max(end_, word + 1);
  while (full_ < required_words_ && words_[full_] == kAllOnes) ++full_;
}

void LinearizedSet::clear(std::uint32_t bit) {
  const std::uint32_t word = word_of(bit);
  CAPSIM_ASSERT((words_[word] & mask_of(bit)) != 0);
  words_[word] &= ~mask_of(bit);
  hash_ ^= zobrist_[bit];
  if (word >= required_words_) return;
  full_ = std::min(full_, word);
  while (end_ > 0 && words_[end_ - 1] == 0) --end_;
}

std::span<const std::uint64_t> LinearizedSet::window() const {
  if (end_ <= full_) return {};
  return std::span<const std::uint64_t>(words_.data() + full_, end_ - full_);
}

std::span<const std::uint64_t> LinearizedSet::optional_words() const {
  return std::span<const std::uint64_t>(words_.data() + required_words_,
                                        words_.size() - required_words_);
}

SearchCache::SearchCache() : slots_(1U << kInitialSlotsLog2, 0), shift_(64 - kInitialSlotsLog2) {}

bool SearchCache::matches(const Entry& entry, std::uint64_t hash, const LinearizedSet& set,
                          ModelState state) const {
  if (entry.hash != hash || entry.state != state || entry.full != set.full_words()) return false;
  const auto window = set.window();
  if (entry.window != window.size()) return false;
  const std::uint64_t* stored = words_.data() + entry.offset;
  if (!std::equal(window.begin(), window.end(), stored)) return false;
  const auto optional = set.optional_words();
  return std::equal(optional.begin(), optional.end(), stored + window.size());
}

bool SearchCache::insert(const LinearizedSet& set, ModelState state) {
  const std::uint64_t hash = set.hash() ^ mix(state ^ 0x5bd1e995ULL);
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = static_cast<std::size_t>((hash * 0x9e3779b97f4a7c15ULL) >> shift_);
  while (slots_[slot] != 0) {
    if (matches(entries_[slots_[slot] - 1], hash, set, state)) return false;
    slot = (slot + 1) & mask;
  }
  const auto window = set.window();
  const auto optional = set.optional_words();
  Entry entry{hash, state, words_.size(), set.full_words(),
              static_cast<std::uint32_t>(window.size())};
  words_.insert(words_.end(), window.begin(), window.end());
  words_.insert(words_.end(), optional.begin(), optional.end());
  entries_.push_back(entry);
  slots_[slot] = static_cast<std::uint32_t>(entries_.size());
  if (entries_.size() * 2 > slots_.size()) grow();
  return true;
}

void SearchCache::grow() {
  std::vector<std::uint32_t> slots(slots_.size() * 2, 0);
  --shift_;
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::size_t slot = static_cast<std::size_t>((entries_[i].hash * 0x9e3779b97f4a7c15ULL) >> shift_);
    while (slots[slot] != 0) slot = (slot + 1) & mask;
    slots[slot] = static_cast<std::uint32_t>(i + 1);
  }
  slots_ = std::move(slots);
}

std::size_t SearchCache::bytes() const {
  return entries_.capacity() * sizeof(Entry) + words_.capacity() * sizeof(std::uint64_t) +
         slots_.capacity() * sizeof(std::uint32_t);
}

}  // namespace capsim
