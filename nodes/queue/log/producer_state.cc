#include "nodes/queue/log/producer_state.h"

namespace capsim::log {

SequenceVerdict ProducerState::check(std::uint64_t producer_id, std::uint64_t sequence) const {
  const auto it = producers_.find(producer_id);
  if (it == producers_.end() || it->second.empty()) return {SequenceCheck::kNew, -1};
  for (const auto& [seq, offset] : it->second) {
    if (seq == sequence) return {SequenceCheck::kDuplicate, offset};
  }
  if (sequence == it->second.back().first + 1) return {SequenceCheck::kNew, -1};
  return {SequenceCheck::kOutOfOrder, -1};
}

void ProducerState::record(std::uint64_t producer_id, std::uint64_t sequence, Offset offset) {
  auto& window = producers_[producer_id];
  window.emplace_back(sequence, offset);
  while (window.size() > kBatchesKept) window.pop_front();
}

void ProducerState::rebuild(const PartitionLog& log) {
  producers_.clear();
  for (const LogEntry& entry : log.entries()) {
    if (entry.producer_id != 0) record(entry.producer_id, entry.sequence, entry.offset);
  }
}

}  // namespace capsim::log
