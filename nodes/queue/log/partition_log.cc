#include "nodes/queue/log/partition_log.h"

#include <algorithm>
#include <cstdio>

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::log {

namespace {

std::string prefix(std::uint32_t partition) { return "log/" + std::to_string(partition) + "/"; }

std::string entry_key(std::uint32_t partition, Offset offset) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "e/%010lld", static_cast<long long>(offset));
  return prefix(partition) + buffer;
}

}  // namespace

std::string encode_log_entry(const LogEntry& entry) {
  std::string out;
  codec::put_signed(entry.offset, ',', out);
  codec::put_number(entry.epoch, ',', out);
  codec::put_number(entry.producer_id, ',', out);
  codec::put_number(entry.sequence, ',', out);
  codec::put_bytes(entry.key, out);
  codec::put_value(entry.message_id, out);
  return out;
}

bool decode_log_entry(std::string_view text, LogEntry& out) {
  LogEntry entry;
  std::size_t pos = 0;
  if (!codec::read_signed(text, pos, ',', entry.offset) ||
      !codec::read_number(text, pos, ',', entry.epoch) ||
      !codec::read_number(text, pos, ',', entry.producer_id) ||
      !codec::read_number(text, pos, ',', entry.sequence) || !codec::read_bytes(text, pos, entry.key) ||
      !codec::read_value(text, pos, entry.message_id) || pos != text.size()) {
    return false;
  }
  out = std::move(entry);
  return true;
}

void PartitionLog::append(LogEntry entry) {
  CAPSIM_ASSERT(entry.epoch >= last_epoch());
  entry.offset = end_offset();
  if (cache_.empty() || cache_.back().first < entry.epoch) {
    cache_.emplace_back(entry.epoch, entry.offset);
  }
  entries_.push_back(std::move(entry));
}

std::vector<LogEntry> PartitionLog::truncate_to(Offset offset) {
  CAPSIM_ASSERT(offset >= 0);
  std::vector<LogEntry> removed;
  if (offset >= end_offset()) return removed;
  removed.assign(entries_.begin() + offset, entries_.end());
  entries_.resize(static_cast<std::size_t>(offset));
  while (!cache_.empty() && cache_.back().second >= offset) cache_.pop_back();
  return removed;
}

std::pair<Epoch, Offset> PartitionLog::end_offset_for_epoch(Epoch epoch) const {
  // The first cached epoch above `epoch`; the one before it is the answer.
  const auto above = std::upper_bound(
      cache_.begin(), cache_.end(), epoch,
      [](Epoch e, const std::pair<Epoch, Offset>& item) { return e < item.first; });
  if (above == cache_.begin()) return {0, 0};
  const Epoch found = std::prev(above)->first;
  const Offset end = above == cache_.end() ? end_offset() : above->second;
  return {found, end};
}

Offset divergence_point(const PartitionLog& follower, Epoch leader_epoch, Offset leader_end) {
  const auto [own_epoch, own_end] = follower.end_offset_for_epoch(leader_epoch);
  if (own_epoch == 0) return 0;
  const Offset point = own_epoch == leader_epoch ? std::min(leader_end, own_end) : own_end;
  return std::min(point, follower.end_offset());
}

void PartitionLog::store(Disk& disk, std::uint32_t partition, Offset from) const {
  for (Offset offset = std::max<Offset>(from, 0); offset < end_offset(); ++offset) {
    disk.put(entry_key(partition, offset), encode_log_entry(at(offset)));
  }
  disk.put(prefix(partition) + "end", std::to_string(end_offset()));
}

void PartitionLog::store_truncation(Disk& disk, std::uint32_t partition, Offset offset,
                                    Offset old_end) const {
  for (Offset o = offset; o < old_end; ++o) disk.erase(entry_key(partition, o));
  disk.put(prefix(partition) + "end", std::to_string(end_offset()));
}

void PartitionLog::store_high_watermark(Disk& disk, std::uint32_t partition, Offset hw) {
  disk.put(prefix(partition) + "hw", std::to_string(hw));
}

PartitionLog PartitionLog::load(const Disk& disk, std::uint32_t partition, Offset& hw) {
  PartitionLog log;
  hw = 0;
  const std::optional<std::uint64_t> end = codec::read_stored_number(disk, prefix(partition) + "end");
  for (Offset offset = 0; end && offset < static_cast<Offset>(*end); ++offset) {
    const std::optional<std::string> text = disk.get(entry_key(partition, offset));
    LogEntry entry;
    if (!text || !decode_log_entry(*text, entry) || entry.offset != offset ||
        entry.epoch < log.last_epoch()) {
      break;
    }
    log.append(std::move(entry));
  }
  const std::optional<std::uint64_t> stored_hw =
      codec::read_stored_number(disk, prefix(partition) + "hw");
  if (stored_hw) hw = std::min<Offset>(static_cast<Offset>(*stored_hw), log.end_offset());
  return log;
}

}  // namespace capsim::log
