#include "nodes/kv/primary_backup/log.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <optional>

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::pb {

namespace {

constexpr std::string_view kLengthKey = "log/length";

}  // namespace

std::string Entry::describe() const {
  std::string text = std::to_string(index) + "@" + std::to_string(epoch);
  if (is_noop()) return text + " noop";
  return text + " " + key + "=" + value.to_text();
}

std::string encode_entry(const Entry& entry) {
  std::string out;
  codec::put_number(entry.epoch, ' ', out);
  codec::put_number(entry.index, ' ', out);
  codec::put_bytes(entry.key, out);
  codec::put_value(entry.value, out);
  codec::put_number(entry.client, ' ', out);
  codec::put_number(entry.op_id, ' ', out);
  return out;
}

bool decode_entry(std::string_view text, Entry& out) {
  std::size_t pos = 0;
  Entry entry;
  if (!codec::read_number(text, pos, ' ', entry.epoch)) return false;
  if (!codec::read_number(text, pos, ' ', entry.index)) return false;
  if (!codec::read_bytes(text, pos, entry.key)) return false;
  if (!codec::read_value(text, pos, entry.value)) return false;
  std::uint64_t client = 0;
  if (!codec::read_number(text, pos, ' ', client) || client > kNoNode) return false;
  entry.client = static_cast<NodeId>(client);
  if (!codec::read_number(text, pos, ' ', entry.op_id) || pos != text.size()) return false;
  out = std::move(entry);
  return true;
}

std::string log_key(Index index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "log/%08llu", static_cast<unsigned long long>(index));
  return buffer;
}

bool is_at_least_as_up_to_date(Epoch last_epoch_a, Index last_index_a, Epoch last_epoch_b,
                               Index last_index_b) {
  if (last_epoch_a != last_epoch_b) return last_epoch_a > last_epoch_b;
  return last_index_a >= last_index_b;
}

Log Log::load(const Disk& disk, bool* complete) {
  Log log;
  if (complete != nullptr) *complete = true;
  if (!disk.get(kLengthKey)) return log;
  // A length that is present but unreadable makes the log incomplete, like a missing entry.
  const std::optional<std::uint64_t> length = codec::read_stored_number(disk, kLengthKey);
  bool ok = length.has_value();
  for (Index index = 1; ok && index <= *length; ++index) {
    const std::optional<std::string> text = disk.get(log_key(index));
    Entry entry;
    ok = text && decode_entry(*text, entry) && entry.index == index &&
         entry.epoch >= log.last_epoch();
    if (ok) log.entries_.push_back(std::move(entry));
  }
  if (!ok && complete != nullptr) *complete = false;
  return log;
}

Epoch Log::epoch_at(Index index) const {
  CAPSIM_ASSERT(index <= last_index());
  return index == 0 ? 0 : entries_[index - 1].epoch;
}

const Entry& Log::at(Index index) const {
  CAPSIM_ASSERT(index >= 1 && index <= last_index());
  return entries_[index - 1];
}

Index Log::first_index_of(Epoch epoch) const {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), epoch,
                                   [](const Entry& entry, Epoch e) { return entry.epoch < e; });
  return it == entries_.end() || it->epoch != epoch ? 0 : it->index;
}

Index Log::last_index_of(Epoch epoch) const {
  const auto it = std::upper_bound(entries_.begin(), entries_.end(), epoch,
                                   [](Epoch e, const Entry& entry) { return e < entry.epoch; });
  return it == entries_.begin() || std::prev(it)->epoch != epoch ? 0 : std::prev(it)->index;
}

bool Log::matches(Index prev_index, Epoch prev_epoch) const {
  return prev_index <= last_index() && epoch_at(prev_index) == prev_epoch;
}

std::vector<Entry> Log::slice(Index from, std::size_t max_count) const {
  std::vector<Entry> result;
  for (Index index = std::max<Index>(from, 1); index <= last_index() && result.size() < max_count;
       ++index) {
    result.push_back(entries_[index - 1]);
  }
  return result;
}

void Log::append(Disk& disk, Entry entry) {
  CAPSIM_ASSERT(entry.index == last_index() + 1);
  CAPSIM_ASSERT(entry.epoch >= last_epoch());
  disk.put(log_key(entry.index), encode_entry(entry));
  entries_.push_back(std::move(entry));
  disk.put(kLengthKey, std::to_string(last_index()));
}

std::vector<Entry> Log::truncate_from(Disk& disk, Index from) {
  CAPSIM_ASSERT(from >= 1);
  std::vector<Entry> removed;
  if (from > last_index()) return removed;
  for (Index index = from; index <= last_index(); ++index) disk.erase(log_key(index));
  removed.assign(entries_.begin() + static_cast<std::ptrdiff_t>(from - 1), entries_.end());
  entries_.resize(from - 1);
  disk.put(kLengthKey, std::to_string(last_index()));
  return removed;
}

}  // namespace capsim::pb
