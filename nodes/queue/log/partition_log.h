// One replica's copy of one partition: the entries by offset, the leader-epoch cache derived
// from them (KIP-101), and how both are laid out on the Disk.
//
// Every entry is stamped with the epoch of the leader that appended it. The epoch cache lists,
// for each epoch that has entries, the offset of its first entry; the end offset of an epoch is
// where the next epoch in the cache starts, or the log end offset (LEO) for the last one. A
// follower of a new leader compares its (LEO, last epoch) with the leader's cache and truncates
// where they part (end_offset_for_epoch, divergence_point).
//
// Disk layout, per partition under "log/<g>/" (g the global partition index):
//   log/<g>/end             the log end offset, decimal
//   log/<g>/hw              the high watermark this replica last knew (a checkpoint)
//   log/<g>/e/<offset>      one entry, encoded (encode_log_entry)
// Nothing here syncs: the node decides when (its flush policy), and a crash loses what was
// written since. Loading stops at the first missing or unreadable entry, so a torn tail reads as
// a shorter log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/disk.h"
#include "sim/node.h"
#include "sim/value.h"

namespace capsim::log {

using Offset = std::int64_t;
using Epoch = std::uint64_t;

struct LogEntry {
  Offset offset = 0;
  Epoch epoch = 0;                // of the leader that appended it
  Value message_id;               // the workload's id
  std::string key;
  std::uint64_t producer_id = 0;  // 0: not idempotent
  std::uint64_t sequence = 0;
  friend bool operator==(const LogEntry&, const LogEntry&) = default;
};

std::string encode_log_entry(const LogEntry& entry);
bool decode_log_entry(std::string_view text, LogEntry& out);

class PartitionLog {
 public:
  Offset end_offset() const { return static_cast<Offset>(entries_.size()); }
  // The epoch of the last entry; 0 for an empty log.
  Epoch last_epoch() const { return cache_.empty() ? 0 : cache_.back().first; }
  const std::vector<LogEntry>& entries() const { return entries_; }
  // Requires: 0 <= offset < end_offset().
  const LogEntry& at(Offset offset) const { return entries_[static_cast<std::size_t>(offset)]; }
  const std::vector<std::pair<Epoch, Offset>>& epoch_cache() const { return cache_; }

  // Appends at end_offset() (entry.offset is set). Requires: entry.epoch >= last_epoch().
  void append(LogEntry entry);
  // Removes every entry at or after `offset`; returns them. Requires: offset >= 0.
  std::vector<LogEntry> truncate_to(Offset offset);

  // Kafka's OffsetsForLeaderEpoch answer for `epoch`: the largest epoch in the cache that is not
  // above it, and where that epoch ends (the next cached epoch's start, or the LEO). (0, 0) when
  // the cache holds no such epoch.
  std::pair<Epoch, Offset> end_offset_for_epoch(Epoch epoch) const;

  // Writes entries [from, end) and the end offset (pending until the node syncs).
  void store(Disk& disk, std::uint32_t partition, Offset from) const;
  // After truncate_to(offset): erases the stored entries from `offset` to `old_end`.
  void store_truncation(Disk& disk, std::uint32_t partition, Offset offset, Offset old_end) const;
  static void store_high_watermark(Disk& disk, std::uint32_t partition, Offset hw);
  // The stored log (empty if none) and its high watermark checkpoint (0 if none, at most the
  // LEO).
  static PartitionLog load(const Disk& disk, std::uint32_t partition, Offset& hw);

 private:
  std::vector<LogEntry> entries_;
  std::vector<std::pair<Epoch, Offset>> cache_;  // (epoch, first offset), epochs ascending
};

// Where a follower whose log is `follower` must truncate, given the leader's answer
// (leader_epoch, leader_end) = end_offset_for_epoch(follower's last epoch) on the leader: the
// follower's own largest epoch not above leader_epoch; if it is the same epoch, the smaller of
// the two end offsets; if the follower lacks that epoch, the end of its own largest smaller
// epoch (it will ask again from there). Never beyond the follower's LEO.
Offset divergence_point(const PartitionLog& follower, Epoch leader_epoch, Offset leader_end);

}  // namespace capsim::log
