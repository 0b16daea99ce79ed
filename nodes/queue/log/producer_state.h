// Idempotent producers: what a partition's replica remembers of each producer, to recognise a
// retried publish (Kafka's ProducerStateEntry).
//
// A producer with a producer id numbers its publishes to each partition 0, 1, 2, ... and sends
// a retry with the same number. Per (producer, partition) the replica keeps the sequence numbers
// and offsets of the last kBatchesKept appends. A publish whose sequence is among them is a
// retry: it is answered with the original offset and not appended again. The next sequence
// (last + 1) is new. Anything else is out of order and refused: a gap, or a retry too old to be
// remembered. A producer the replica knows nothing of may start at any sequence (as after its
// state expired, or was truncated away with the entries that made it).
//
// The state is part of the log: it is rebuilt from the entries (which carry producer id and
// sequence) after a restart or a truncation, so a new leader deduplicates what its predecessor
// appended.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <utility>

#include "nodes/queue/log/partition_log.h"

namespace capsim::log {

constexpr std::size_t kBatchesKept = 5;  // Kafka's NUM_BATCHES_TO_RETAIN

enum class SequenceCheck {
  kNew,         // append it
  kDuplicate,   // a retry of the append at `offset`
  kOutOfOrder,  // a gap, or older than the window: refuse
};

struct SequenceVerdict {
  SequenceCheck check = SequenceCheck::kNew;
  Offset offset = -1;  // kDuplicate: where the original is
};

class ProducerState {
 public:
  SequenceVerdict check(std::uint64_t producer_id, std::uint64_t sequence) const;
  // Remembers an append. Requires: check() said kNew for it.
  void record(std::uint64_t producer_id, std::uint64_t sequence, Offset offset);
  // Forgets everything and replays the idempotent entries of `log`.
  void rebuild(const PartitionLog& log);

 private:
  // Per producer: (sequence, offset) of its last appends, oldest first.
  std::map<std::uint64_t, std::deque<std::pair<std::uint64_t, Offset>>> producers_;
};

}  // namespace capsim::log
