#include "nodes/common/raft/log.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::raft {

bool is_at_least_as_up_to_date(Term last_term_a, Index last_index_a, Term last_term_b,
                               Index last_index_b) {
  if (last_term_a != last_term_b) return last_term_a > last_term_b;
  return last_index_a >= last_index_b;
}

Log::Log(std::string disk_prefix) : disk_prefix_(std::move(disk_prefix)) {}

std::string Log::entry_key(Index index) const {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%08llu", static_cast<unsigned long long>(index));
  return disk_prefix_ + "log/" + digits;
}

std::string Log::length_key() const { return disk_prefix_ + "log/length"; }

Log Log::load(const Disk& disk, std::string disk_prefix, bool* complete) {
  Log log(std::move(disk_prefix));
  if (complete != nullptr) *complete = true;
  if (!disk.get(log.length_key())) return log;
  // A length that is present but unreadable makes the log incomplete, like a missing entry.
  const std::optional<std::uint64_t> length = codec::read_stored_number(disk, log.length_key());
  bool ok = length.has_value();
  for (Index index = 1; ok && index <= *length; ++index) {
    const std::optional<std::string> text = disk.get(log.entry_key(index));
    Entry entry;
    ok =
        text && decode_entry(*text, entry) && entry.index == index && entry.term >= log.last_term();
    if (ok) log.entries_.push_back(std::move(entry));
  }
  if (!ok && complete != nullptr) *complete = false;
  return log;
}

Term Log::term_at(Index index) const {
  CAPSIM_ASSERT(index <= last_index());
  return index == 0 ? 0 : entries_[index - 1].term;
}

const Entry& Log::at(Index index) const {
  CAPSIM_ASSERT(index >= 1 && index <= last_index());
  return entries_[index - 1];
}

bool Log::matches(Index prev_index, Term prev_term) const {
  return prev_index <= last_index() && term_at(prev_index) == prev_term;
}

std::vector<Entry> Log::slice(Index from, std::size_t max_count) const {
  std::vector<Entry> result;
  if (from <= last_index()) {
    result.reserve(std::min<std::size_t>(max_count, last_index() - std::max<Index>(from, 1) + 1));
  }
  for (Index index = std::max<Index>(from, 1); index <= last_index() && result.size() < max_count;
       ++index) {
    result.push_back(entries_[index - 1]);
  }
  return result;
}

Index Log::refusal_hint(Index prev_index) const {
  if (prev_index > last_index()) return last_index();
  const Term conflicting = term_at(prev_index);
  Index index = prev_index;
  while (index > 0 && term_at(index) == conflicting) --index;
  return index;
}

void Log::append(Disk& disk, Entry entry) {
  CAPSIM_ASSERT(entry.index == last_index() + 1);
  CAPSIM_ASSERT(entry.term >= last_term());
  disk.put(entry_key(entry.index), encode_entry(entry));
  entries_.push_back(std::move(entry));
  disk.put(length_key(), std::to_string(last_index()));
}

std::vector<Entry> Log::truncate_from(Disk& disk, Index from) {
  CAPSIM_ASSERT(from >= 1);
  std::vector<Entry> removed;
  if (from > last_index()) return removed;
  for (Index index = from; index <= last_index(); ++index) disk.erase(entry_key(index));
  removed.assign(entries_.begin() + static_cast<std::ptrdiff_t>(from - 1), entries_.end());
  entries_.resize(from - 1);
  disk.put(length_key(), std::to_string(last_index()));
  return removed;
}

}  // namespace capsim::raft
