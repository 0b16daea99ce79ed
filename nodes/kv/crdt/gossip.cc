// Gossip: every gossip_interval, the whole state to `fanout` random peers; merge on receipt.

#include <utility>

#include "nodes/kv/crdt/crdt_node.h"

namespace capsim::crdt {

void CrdtNode::on_gossip_timer(Context& ctx) {
  ctx.set_timer(kGossipTimer, config_.gossip_interval);
  // An empty state has nothing to teach anyone; new replicas learn once there is something.
  if (state_.empty() || config_.cluster_size < 2) return;
  if (!snapshot_) snapshot_ = std::make_shared<const ReplicaState>(state_);
  for (const NodeId peer : choose_peers(ctx)) {
    ctx.send(peer, Message::of(Gossip{snapshot_}));
  }
}

std::vector<NodeId> CrdtNode::choose_peers(Context& ctx) const {
  std::vector<NodeId> peers;
  peers.reserve(config_.cluster_size - 1);
  for (NodeId id = 0; id < config_.cluster_size; ++id) {
    if (id != self_) peers.push_back(id);
  }
  // A partial Fisher-Yates shuffle: the first `fanout` places get a uniform random sample.
  const std::size_t count = std::min<std::size_t>(config_.fanout, peers.size());
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(ctx.rng().below(peers.size() - i));
    std::swap(peers[i], peers[j]);
  }
  peers.resize(count);
  return peers;
}

void CrdtNode::on_gossip(Context& /*ctx*/, NodeId /*from*/, const Gossip& message) {
  const std::vector<std::string> changed = state_.merge(*message.state);
  if (changed.empty()) return;
  snapshot_.reset();
  // Written with the next update rather than now: the sender still holds all of it, so a
  // crash before then loses nothing for good, and a busy set is not re-encoded every round.
  unsaved_keys_.insert(changed.begin(), changed.end());
}

}  // namespace capsim::crdt
