// The replicated log of the Raft core and its layout on disk.
//
// Disk layout (one key per entry, so an append writes one key and not the whole log), under a
// prefix the host chooses ("raft/" for the key-value store):
//   "<prefix>log/length"     the number of entries, in decimal
//   "<prefix>log/00000042"   entry 42, encoded by encode_entry() (entry.h)
// The Log writes through to the Disk with put(); making writes durable (sync) is the caller's
// job, because the `sync_disk` option decides whether it happens.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/common/raft/entry.h"
#include "sim/disk.h"

namespace capsim::raft {

// True if a log ending at (last_term_a, last_index_a) is at least as up to date as one ending at
// (last_term_b, last_index_b): a later last term wins, and on equal terms the longer log does.
// This is the rule by which a voter refuses a candidate that might lack committed entries.
bool is_at_least_as_up_to_date(Term last_term_a, Index last_index_a, Term last_term_b,
                               Index last_index_b);

class Log {
 public:
  // An empty log kept under `disk_prefix` (see the layout above).
  explicit Log(std::string disk_prefix = "raft/");

  // Reads the log that earlier append/truncate calls left on `disk` under `disk_prefix` (an
  // empty log if none). If an entry up to the stored length is missing or unreadable (unsynced
  // writes were lost), the log ends before it and `complete`, if given, is set to false.
  static Log load(const Disk& disk, std::string disk_prefix = "raft/", bool* complete = nullptr);

  Index last_index() const { return entries_.size(); }
  Term last_term() const { return entries_.empty() ? 0 : entries_.back().term; }
  // The term of entry `index`; 0 for index 0. Requires: index <= last_index().
  Term term_at(Index index) const;
  // Requires: 1 <= index <= last_index().
  const Entry& at(Index index) const;
  const std::vector<Entry>& entries() const { return entries_; }

  // True if this log holds an entry at `prev_index` with term `prev_term` (always true for 0).
  bool matches(Index prev_index, Term prev_term) const;
  // Up to `max_count` entries starting at index `from` (fewer at the end of the log).
  std::vector<Entry> slice(Index from, std::size_t max_count) const;
  // Where a leader should resume after this log refused (prev_index, prev_term): this log's last
  // index if it is too short, else the index just before its run of entries of the conflicting
  // term, so that a leader skips a whole stale term per round trip.
  Index refusal_hint(Index prev_index) const;

  // Appends `entry` and writes it to `disk` (pending until the caller syncs).
  // Requires: entry.index == last_index() + 1 and entry.term >= last_term().
  void append(Disk& disk, Entry entry);
  // Removes the entries from index `from` to the end, on disk too, and returns them in order.
  // Requires: 1 <= from.
  std::vector<Entry> truncate_from(Disk& disk, Index from);

 private:
  std::string entry_key(Index index) const;
  std::string length_key() const;

  std::string disk_prefix_;
  std::vector<Entry> entries_;  // entries_[i] has index i + 1
};

}  // namespace capsim::raft
