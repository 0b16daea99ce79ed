#include "nodes/queue/log/placement.h"

namespace capsim::log {

std::vector<PartitionPlace> place_partitions(const Config& config) {
  std::vector<PartitionPlace> places;
  const std::uint32_t n = config.cluster_size == 0 ? 1 : config.cluster_size;
  for (const std::string& topic : config.topics) {
    for (std::uint32_t p = 0; p < config.partitions; ++p) {
      PartitionPlace place;
      place.topic = topic;
      place.partition = p;
      const auto g = static_cast<std::uint32_t>(places.size());
      for (std::uint32_t r = 0; r < config.replication_factor && r < n; ++r) {
        place.replicas.push_back((g + 1 + r) % n);
      }
      places.push_back(std::move(place));
    }
  }
  return places;
}

std::int64_t find_partition(const std::vector<PartitionPlace>& places, const std::string& topic,
                            std::int64_t partition) {
  for (std::size_t g = 0; g < places.size(); ++g) {
    if (places[g].topic == topic && static_cast<std::int64_t>(places[g].partition) == partition) {
      return static_cast<std::int64_t>(g);
    }
  }
  return -1;
}

}  // namespace capsim::log
