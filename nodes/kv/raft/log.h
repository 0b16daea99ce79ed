// The replicated log of the Raft protocol and its layout on disk.
//
// Entries are numbered from 1; index 0 stands for "before the first entry" and has term 0, so an
// AppendEntries that starts at the beginning of the log always passes the consistency check.
// Each entry records the term of the leader that created it and the client operation itself
// (not its outcome): every replica evaluates the operation when the entry is applied, in log
// order, so a cas is decided against the state that the committed log defines and not against
// whatever the leader happened to hold when the request arrived.
//
// Disk layout (one key per entry, so an append writes one key and not the whole log):
//   "raft/log/length"     the number of entries, in decimal
//   "raft/log/00000042"   entry 42, encoded by encode_entry()
// The Log writes through to the Disk with put(); making writes durable (sync) is the caller's
// job, because the `sync_disk` option decides whether it happens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/disk.h"
#include "sim/node.h"
#include "sim/value.h"

namespace capsim::raft {

using Term = std::uint64_t;
using Index = std::uint64_t;

// One log entry. A no-op (empty f) is what a new leader appends first, so that it can commit
// something of its own term and, with it, everything before.
struct Entry {
  Term term = 0;
  Index index = 0;
  std::string f;       // "read", "write", "cas", "add", "increment"; "" for a no-op
  std::string key;
  Value argument;      // the request's value
  NodeId client = kNoNode;  // who asked, and its op id: lets replicas drop a duplicated request
  std::uint64_t op_id = 0;

  bool is_noop() const { return f.empty(); }
  // "3@2 write k1 7" or "4@2 noop": index@term, then the operation.
  std::string describe() const;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// The text stored under "raft/log/NNNNNNNN": term, index, client, op id, operation, key and
// argument in the shared kv encoding (nodes/kv/common/value_codec.h). Round-trips every Value.
std::string encode_entry(const Entry& entry);
// Parses what encode_entry() wrote. Returns false if `text` is not such an encoding.
bool decode_entry(std::string_view text, Entry& out);

// True if a log ending at (last_term_a, last_index_a) is at least as up to date as one ending at
// (last_term_b, last_index_b): a later last term wins, and on equal terms the longer log does.
// This is the rule by which a voter refuses a candidate that might lack committed entries.
bool is_at_least_as_up_to_date(Term last_term_a, Index last_index_a, Term last_term_b,
                               Index last_index_b);

class Log {
 public:
  // Reads the log that earlier append/truncate calls left on `disk` (an empty log if none).
  // If an entry up to the stored length is missing or unreadable (unsynced writes were lost),
  // the log ends before it and `complete`, if given, is set to false.
  static Log load(const Disk& disk, bool* complete = nullptr);

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
  std::vector<Entry> entries_;  // entries_[i] has index i + 1
};

}  // namespace capsim::raft
