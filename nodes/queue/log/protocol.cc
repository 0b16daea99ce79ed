// The registry entry of the log protocol.

#include "nodes/queue/log/log_node.h"
#include "sim/assert.h"

namespace capsim::log {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.name = "log";
  info.summary =
      "a Kafka-style replicated log: partitions pulled by followers from an elected leader, an "
      "ISR and high watermark, acks 0/1/all, leader epochs, consumer groups on n1";
  info.serves_queues = true;
  info.consumes_by_offset = true;
  info.options = option_specs();
  info.validate = validate_options;
  info.validate_workload = validate_workload;
  info.make = [](const NodeSetup& setup) -> std::unique_ptr<Node> {
    CAPSIM_ASSERT(setup.options != nullptr);
    return std::make_unique<LogNode>(setup.id, config_from(*setup.options, setup.cluster_size));
  };
  return info;
}

}  // namespace capsim::log
