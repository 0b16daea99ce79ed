// Messages between the replicas of the crdt protocol. Clients use the shared ClientRequest /
// ClientReply of sim/client/kv_messages.h.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "nodes/kv/crdt/replica_state.h"

namespace capsim::crdt {

// Replica -> peer, every gossip interval: the sender's whole state, for the peer to merge.
// The snapshot is shared and immutable, so sending it to several peers copies nothing.
// Requires: state != nullptr.
struct Gossip {
  static constexpr std::string_view kKind = "crdt.gossip";
  std::shared_ptr<const ReplicaState> state;
  // "3 keys: k1=5 k2=[1 3] k3=7" (at most a few keys shown).
  std::string describe() const;
};

}  // namespace capsim::crdt
