// Which node a queue client (producer, consumer) sends its next request to: the workload's
// route, as a kv client uses it (sim/client/kv_client.h).
#pragma once

#include <cstdint>

#include "sim/node.h"
#include "sim/rng.h"
#include "sim/scenario.h"

namespace capsim {

// any: a node drawn at random; leader: `believed` (the last node that answered or was named
// by a redirect); fixed: the client's own node of the list (by client index).
inline NodeId queue_route_target(const WorkloadSpec& spec, std::uint32_t index,
                                 std::uint32_t cluster_size, NodeId believed, Rng& rng) {
  switch (spec.route) {
    case Route::kAny: return static_cast<NodeId>(rng.below(cluster_size));
    case Route::kLeader: return believed;
    case Route::kFixed:
      if (spec.fixed_nodes.empty()) return index % cluster_size;
      return spec.fixed_nodes[index % spec.fixed_nodes.size()];
  }
  return 0;
}

// Where to go after a redirect from `from` naming `hint`: the hint when it is a usable node,
// else a node drawn at random.
inline NodeId queue_redirect_target(NodeId from, NodeId hint, std::uint32_t cluster_size,
                                    Rng& rng) {
  if (hint == kNoNode || hint >= cluster_size || hint == from) {
    return static_cast<NodeId>(rng.below(cluster_size));
  }
  return hint;
}

}  // namespace capsim
