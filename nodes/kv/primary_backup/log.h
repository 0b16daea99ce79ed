// The replicated log of the primary-backup protocol and its layout on disk.
//
// Entries are numbered from 1; index 0 stands for "before the first entry" and has epoch 0, so
// a Replicate that starts at the beginning of the log always matches. Every entry records the
// epoch of the primary that created it. Two logs that hold an entry with the same index and
// epoch agree on that entry and on everything before it, as long as each epoch has at most one
// primary (that is what the election and the durable vote are for).
//
// Disk layout (one key per entry, so an append writes one key and not the whole log):
//   "log/length"     the number of entries, in decimal
//   "log/00000042"   entry 42, encoded by encode_entry()
// Log writes through to the Disk with put(); making them durable (sync) is the caller's choice,
// because the `sync_disk` option decides it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/disk.h"
#include "sim/node.h"
#include "sim/value.h"

namespace capsim::pb {

using Epoch = std::uint64_t;
using Index = std::uint64_t;

// One operation in the log. A cas is logged as the write it turned into, so replaying the log
// never has to re-evaluate a condition. A no-op (empty key) is what a new primary appends first:
// it carries the new epoch into every backup's log, which makes backups drop stale suffixes.
// The request an entry came from goes with it, so that every replica knows which requests took
// effect and a second copy of one, on whichever replica is primary then, takes none.
struct Entry {
  Epoch epoch = 0;
  Index index = 0;
  std::string key;  // "" for a no-op
  Value value;
  NodeId client = kNoNode;  // who asked (kNoNode for a no-op), and the op id it gave
  std::uint64_t op_id = 0;

  bool is_noop() const { return key.empty(); }
  // "3@2 k1=7" or "4@2 noop": index@epoch, then the operation.
  std::string describe() const;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// The text stored under "log/NNNNNNNN": epoch, index, key, value, client and op id in the shared
// encoding (nodes/common/value_codec.h). Round-trips every Value (nil, integers, strings,
// lists).
std::string encode_entry(const Entry& entry);
// Parses what encode_entry() wrote. Returns false if `text` is not such an encoding.
bool decode_entry(std::string_view text, Entry& out);

// The disk key of entry `index`: "log/00000042".
std::string log_key(Index index);

// True if a log ending at (last_epoch_a, last_index_a) is at least as up to date as one ending at
// (last_epoch_b, last_index_b): a later last epoch wins, and on equal epochs the longer log does.
bool is_at_least_as_up_to_date(Epoch last_epoch_a, Index last_index_a, Epoch last_epoch_b,
                               Index last_index_b);

class Log {
 public:
  // Reads the log that earlier append/truncate calls left on `disk` (an empty log if none).
  // If an entry up to log/length is missing or unreadable (a fault dropped unsynced writes
  // while the node ran on), the log ends before it and `complete`, if given, is set to false.
  static Log load(const Disk& disk, bool* complete = nullptr);

  Index last_index() const { return entries_.size(); }
  Epoch last_epoch() const { return entries_.empty() ? 0 : entries_.back().epoch; }
  // The epoch of entry `index`; 0 for index 0. Requires: index <= last_index().
  Epoch epoch_at(Index index) const;
  // Requires: 1 <= index <= last_index().
  const Entry& at(Index index) const;
  const std::vector<Entry>& entries() const { return entries_; }

  // The index of the first (last) entry of `epoch`; 0 if the log holds none. Epochs never
  // decrease along a log, so an epoch's entries are one run.
  Index first_index_of(Epoch epoch) const;
  Index last_index_of(Epoch epoch) const;
  // True if this log holds an entry at `prev_index` with epoch `prev_epoch` (always true for 0).
  bool matches(Index prev_index, Epoch prev_epoch) const;
  // Up to `max_count` entries starting at index `from` (fewer at the end of the log).
  std::vector<Entry> slice(Index from, std::size_t max_count) const;

  // Appends `entry` and writes it to `disk` (pending until the caller syncs).
  // Requires: entry.index == last_index() + 1 and entry.epoch >= last_epoch().
  void append(Disk& disk, Entry entry);
  // Removes the entries from index `from` to the end, on disk too, and returns them in order.
  // Requires: 1 <= from.
  std::vector<Entry> truncate_from(Disk& disk, Index from);

 private:
  std::vector<Entry> entries_;  // entries_[i] has index i + 1
};

}  // namespace capsim::pb
