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
  if (word >= required_words_) return;
  hash_ ^= zobrist_[bit];
  end_ = std::max(end_, word + 1);
  while (full_ < required_words_ && words_[full_] == kAllOnes) ++full_;
}

void LinearizedSet::clear(std::uint32_t bit) {
  const std::uint32_t word = word_of(bit);
  CAPSIM_ASSERT((words_[word] & mask_of(bit)) != 0);
  words_[word] &= ~mask_of(bit);
  if (word >= required_words_) return;
  hash_ ^= zobrist_[bit];
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

SearchCache::SearchCache(std::size_t limit_bytes) : limit_bytes_(limit_bytes) { reset(); }

void SearchCache::reset() {
  groups_ = {};
  words_ = {};
  extra_ = {};
  slots_.assign(1U << kInitialSlotsLog2, 0);
  shift_ = 64 - kInitialSlotsLog2;
  bytes_ = slots_.size() * sizeof(std::uint32_t);
}

bool SearchCache::same_required(const Group& group, std::uint64_t hash, const LinearizedSet& set,
                                ModelState state) const {
  if (group.hash != hash || group.state != state || group.full != set.full_words()) return false;
  const auto window = set.window();
  return group.window == window.size() &&
         std::equal(window.begin(), window.end(), words_.data() + group.offset);
}

bool SearchCache::add_optional(Group& group, const LinearizedSet& set) {
  const auto optional = set.optional_words();
  const std::size_t width = optional.size();
  if (width == 0) return false;  // no optional operations: the group is the configuration
  auto covers = [&](const std::uint64_t* a, const std::uint64_t* b) {  // a is a subset of b
    for (std::size_t i = 0; i < width; ++i) {
      if ((a[i] & ~b[i]) != 0) return false;
    }
    return true;
  };
  std::uint64_t* first = words_.data() + group.offset + group.window;
  if (covers(first, optional.data())) return false;
  if (group.extra != kNoExtra) {
    for (std::size_t m = 0; m < extra_[group.extra].size(); m += width) {
      if (covers(extra_[group.extra].data() + m, optional.data())) return false;
    }
  }
  // New. Members it covers are redundant from now on; dropping them keeps the antichain small.
  if (covers(optional.data(), first)) {
    std::copy(optional.begin(), optional.end(), first);
    return true;
  }
  if (group.extra == kNoExtra) {
    group.extra = static_cast<std::uint32_t>(extra_.size());
    extra_.emplace_back();
  }
  std::vector<std::uint64_t>& members = extra_[group.extra];
  std::size_t kept = 0;
  for (std::size_t m = 0; m < members.size(); m += width) {
    if (covers(optional.data(), members.data() + m)) continue;
    std::copy_n(members.data() + m, width, members.data() + kept);
    kept += width;
  }
  members.resize(kept);
  members.insert(members.end(), optional.begin(), optional.end());
  bytes_ += width * sizeof(std::uint64_t);
  return true;
}

bool SearchCache::insert(const LinearizedSet& set, ModelState state) {
  if (bytes_ > limit_bytes_) {
    reset();
    ++resets_;
  }
  // The hash leaves the optional operations out: configurations differing only in them share
  // one group, where add_optional() compares them as sets.
  const std::uint64_t hash = set.hash() ^ mix(state ^ 0x5bd1e995ULL);
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = static_cast<std::size_t>((hash * 0x9e3779b97f4a7c15ULL) >> shift_);
  while (slots_[slot] != 0) {
    Group& group = groups_[slots_[slot] - 1];
    if (same_required(group, hash, set, state)) {
      if (!add_optional(group, set)) return false;
      ++recorded_;
      return true;
    }
    slot = (slot + 1) & mask;
  }
  const auto window = set.window();
  const auto optional = set.optional_words();
  groups_.push_back(Group{hash, state, words_.size(), set.full_words(),
                          static_cast<std::uint32_t>(window.size()), kNoExtra});
  words_.insert(words_.end(), window.begin(), window.end());
  words_.insert(words_.end(), optional.begin(), optional.end());
  slots_[slot] = static_cast<std::uint32_t>(groups_.size());
  ++recorded_;
  bytes_ += sizeof(Group) + (window.size() + optional.size()) * sizeof(std::uint64_t);
  if (groups_.size() * 2 > slots_.size()) grow();
  return true;
}

void SearchCache::grow() {
  std::vector<std::uint32_t> slots(slots_.size() * 2, 0);
  --shift_;
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    std::size_t slot =
        static_cast<std::size_t>((groups_[i].hash * 0x9e3779b97f4a7c15ULL) >> shift_);
    while (slots[slot] != 0) slot = (slot + 1) & mask;
    slots[slot] = static_cast<std::uint32_t>(i + 1);
  }
  bytes_ += (slots.size() - slots_.size()) * sizeof(std::uint32_t);
  slots_ = std::move(slots);
}

}  // namespace capsim
