// Where each partition lives: a pure function of the configuration, so every broker, the
// controller and a test compute the same placement without asking anyone.
//
// Partitions are numbered globally, topic by topic in the order the topics are written and
// partition by partition within a topic: global index g. Partition g has replication_factor
// replicas on consecutive brokers starting after g: n((g+1) mod N + 1), n((g+2) mod N + 1), ...
// The first is its preferred leader, which the controller picks when the cluster starts. So the
// controller n1 leads no partition while there are fewer partitions than brokers, and
// partition 0 of the first topic starts on n2: isolating that leader does not isolate the
// controller with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nodes/queue/log/options.h"
#include "sim/node.h"

namespace capsim::log {

using PartitionIndex = std::uint32_t;  // global, over all topics

struct PartitionPlace {
  std::string topic;
  std::uint32_t partition = 0;  // within the topic
  std::vector<NodeId> replicas;  // the preferred leader first
  // "orders/0": how the trace and the story name it.
  std::string name() const { return topic + "/" + std::to_string(partition); }
};

// Every partition of the cluster, by global index.
std::vector<PartitionPlace> place_partitions(const Config& config);

// The global index of `partition` of `topic`; -1 when there is no such topic or partition.
std::int64_t find_partition(const std::vector<PartitionPlace>& places, const std::string& topic,
                            std::int64_t partition);

}  // namespace capsim::log
