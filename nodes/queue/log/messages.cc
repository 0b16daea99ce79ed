#include "nodes/queue/log/messages.h"

namespace capsim::log {

std::string node_name(NodeId id) {
  return id == kNoNode ? std::string("none") : "n" + std::to_string(id + 1);
}

std::string node_list(const std::vector<NodeId>& ids) {
  std::string text = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) text += (i == 0 ? "" : " ") + node_name(ids[i]);
  return text + "]";
}

std::string BrokerHeartbeat::describe() const {
  return "incarnation " + std::to_string(incarnation);
}

std::string MetadataUpdate::describe() const {
  std::string text;
  for (std::size_t g = 0; g < partitions.size(); ++g) {
    const PartitionState& state = partitions[g];
    if (!text.empty()) text += ", ";
    text += "p" + std::to_string(g) + " leader " + node_name(state.leader) + " epoch " +
            std::to_string(state.leader_epoch) + " isr " + node_list(state.isr);
  }
  return text;
}

std::string ReplicaFetch::describe() const {
  return "p" + std::to_string(partition) + " epoch " + std::to_string(leader_epoch) + " from " +
         std::to_string(fetch_offset) + " last epoch " + std::to_string(last_fetched_epoch) +
         " id " + std::to_string(fetch_id);
}

std::string ReplicaFetchReply::describe() const {
  std::string text = "p" + std::to_string(partition) + " epoch " + std::to_string(leader_epoch) +
                     " id " + std::to_string(fetch_id);
  if (error == FetchError::kFencedEpoch) return text + " fenced epoch";
  if (error == FetchError::kNotLeader) return text + " not leader";
  if (diverging) {
    return text + " diverging epoch " + std::to_string(diverging_epoch) + " end " +
           std::to_string(diverging_end);
  }
  if (!entries.empty()) {
    text += " entries " + std::to_string(entries.front().offset) + ".." +
            std::to_string(entries.back().offset);
  }
  return text + " hw " + std::to_string(high_watermark) + " end " + std::to_string(leader_end);
}

std::string AlterPartition::describe() const {
  return "p" + std::to_string(partition) + " epoch " + std::to_string(leader_epoch) +
         " partition epoch " + std::to_string(partition_epoch) + " isr " + node_list(isr);
}

}  // namespace capsim::log
