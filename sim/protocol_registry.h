// Protocols reach the engine by name. `sim/` never includes `nodes/`: the tools fill a registry
// at startup (nodes/register_protocols.h) and hand it to the scenario loader and the simulator.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/node.h"
#include "sim/options.h"
#include "sim/scenario.h"

namespace capsim {

// What a protocol's factory gets to build one node.
struct NodeSetup {
  NodeId id = 0;
  std::uint32_t cluster_size = 0;  // nodes n1..nN are ids 0..N-1
  const Options* options = nullptr;
};

struct ProtocolInfo {
  std::string name;                 // as written in `cluster.protocol`
  std::string summary;              // one line for `capsim list`
  std::vector<OptionSpec> options;  // every option it accepts, with defaults
  // Checks relations between options and the cluster size (e.g. w <= n); reports problems at
  // the options' positions. May be empty.
  std::function<void(const Options&, std::uint32_t cluster_size, Diagnostics&)> validate;
  // True for a queue protocol (it serves the `queue` workload's producers and consumers,
  // sim/client/queue_messages.h); false for a key-value one (kv, set and counter workloads,
  // sim/client/kv_messages.h). The loader refuses a workload of the other family.
  bool serves_queues = false;
  // For a queue protocol: true for a log (Kafka): consumers join groups and read partitions by
  // offset (GroupJoin, LogFetch, OffsetCommit; sim/client/log_consumer.h) and the drain reads
  // every partition from offset 0 (sim/client/log_drainer.h); false for a broker, whose
  // consumers receive and ack (QueueReceive, QueueAck).
  bool consumes_by_offset = false;
  // Checks the workload against the options (a queue workload's queues must exist); reports
  // problems at the workload's positions. May be empty; called only when both read cleanly.
  std::function<void(const Options&, const WorkloadSpec&, Diagnostics&)> validate_workload;
  // Builds a fresh node: at start, and again after every restart.
  std::function<std::unique_ptr<Node>(const NodeSetup&)> make;
  // For a protocol that places each key on some of the nodes only (a hash ring's preference
  // list): the nodes meant to hold `key`, in id order. Empty (the default): every node holds
  // every key. Must be a pure function of its arguments; convergence compares each key on these.
  std::function<std::vector<NodeId>(const Options&, std::uint32_t cluster_size,
                                    std::string_view key)>
      replicas_of;
};

class ProtocolRegistry {
 public:
  // Requires: no protocol of that name yet.
  void add(ProtocolInfo info);
  // nullptr if unknown.
  const ProtocolInfo* find(const std::string& name) const;
  std::vector<std::string> names() const;
  const std::map<std::string, ProtocolInfo>& all() const { return protocols_; }

 private:
  std::map<std::string, ProtocolInfo> protocols_;
};

// Options with every declared default filled in, then the given values applied. Used by the
// loader and by tests that build nodes directly.
Options default_options(const ProtocolInfo& info);

}  // namespace capsim
