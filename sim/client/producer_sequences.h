// An idempotent producer's numbering for a log protocol (Kafka's enable.idempotence): a
// producer id, and per (topic, partition) sequence numbers 0, 1, 2, ... that a retry repeats,
// so the partition's leader recognises a retry and answers it with the original offset instead
// of appending the message again.
//
// The partition must be known before the sequence is: a keyed message goes to
// partition_for_key(key, partitions) and an unkeyed one round-robin over the partitions. The
// partition count is learned from the first acknowledgement of the topic (QueuePublishReply
// `partitions`); until then the producer has used no sequence of the topic, so its message is
// sequence 0 wherever it goes: a keyed one names no partition (the node places it by the same
// function), an unkeyed one partition 0.
//
// A message given up without an acknowledgement, or refused as out of order, may have left a
// gap; the producer then starts afresh under a new producer id (Kafka bumps the producer
// epoch), whose sequences start again at 0.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "sim/client/partition_for_key.h"

namespace capsim {

class ProducerSequences {
 public:
  // `base`: distinct per producer incarnation; ids are base, base + 1, ... as it resets.
  explicit ProducerSequences(std::uint64_t base) : producer_id_(base) {}

  std::uint64_t producer_id() const { return producer_id_; }

  // The (partition, sequence) of a new message; partition -1: let the node place it by key.
  std::pair<std::int64_t, std::uint64_t> assign(const std::string& topic, const std::string& key) {
    const auto count = partitions_.find(topic);
    if (count == partitions_.end()) return {key.empty() ? 0 : -1, 0};
    const auto n = static_cast<std::uint32_t>(count->second);
    const std::int64_t partition =
        key.empty() ? static_cast<std::int64_t>(unkeyed_turn_++ % n) : partition_for_key(key, n);
    return {partition, next_[{topic, partition}]++};
  }

  // An acknowledgement of `sequence` at `partition` of a topic with `partitions` partitions.
  void acknowledged(const std::string& topic, std::int64_t partitions, std::int64_t partition,
                    std::uint64_t sequence) {
    if (partitions < 1 || partition < 0) return;
    partitions_[topic] = partitions;
    std::uint64_t& next = next_[{topic, partition}];
    if (next <= sequence) next = sequence + 1;
  }

  // Starts afresh under the next producer id.
  void reset() {
    ++producer_id_;
    next_.clear();
  }

 private:
  std::uint64_t producer_id_;
  std::map<std::string, std::int64_t> partitions_;  // learned partition counts, by topic
  std::map<std::pair<std::string, std::int64_t>, std::uint64_t> next_;
  std::uint64_t unkeyed_turn_ = 0;
};

}  // namespace capsim
