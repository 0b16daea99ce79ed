// Anti-entropy: replicas of the same keys compare notes in the background and exchange what
// differs, so replicas converge even for keys nobody reads.
//
// Every `anti_entropy` interval a node picks the next peer in id order and sends it a summary:
// one hash per key (versions_hash) for each key it stores that the peer also replicates. The
// peer answers with its versions of every shared key whose hash differs or that the summary
// lacks, and names the summarised keys it lacks or holds differently; the node then pushes
// those. Both reconcile what they receive (versions.h), so after one exchange both hold the
// reconciled versions of every key they share. This is a full exchange of per-key summaries:
// simple and exact, and cheap for the few keys of our workloads. (A Merkle tree per key range
// would send less when almost everything agrees.)
#include <map>

#include "nodes/kv/quorum/quorum_node.h"

namespace capsim::quorum {

void QuorumNode::on_anti_entropy_timer(Context& ctx) {
  ctx.set_timer(kAntiEntropyTimer, config_.anti_entropy);
  if (config_.cluster_size < 2) return;
  anti_entropy_cursor_ = (anti_entropy_cursor_ + 1) % config_.cluster_size;
  if (anti_entropy_cursor_ == self_) {
    anti_entropy_cursor_ = (anti_entropy_cursor_ + 1) % config_.cluster_size;
  }
  const NodeId peer = anti_entropy_cursor_;
  AntiEntropySummary summary;
  for (const auto& [key, versions] : store_.slots()) {
    if (summary.keys.size() >= kMaxBatch) break;
    if (is_preferred(key, self_) && is_preferred(key, peer)) {
      summary.keys.emplace_back(key, versions_hash(versions));
    }
  }
  send_to(ctx, peer, Message::of(std::move(summary)));
}

void QuorumNode::on_anti_entropy_summary(Context& ctx, NodeId from,
                                         const AntiEntropySummary& message) {
  const std::map<std::string, std::uint64_t> theirs(message.keys.begin(), message.keys.end());
  AntiEntropyReply reply;
  for (const auto& [key, versions] : store_.slots()) {
    if (reply.versions.size() >= kMaxBatch) break;
    if (!is_preferred(key, self_) || !is_preferred(key, from)) continue;
    const auto it = theirs.find(key);
    if (it == theirs.end() || it->second != versions_hash(versions)) {
      reply.versions.emplace_back(key, versions);
    }
  }
  for (const auto& [key, hash] : theirs) {
    if (!is_preferred(key, self_)) continue;
    const Versions* mine = store_.find(key);
    if (mine == nullptr || versions_hash(*mine) != hash) reply.wanted.push_back(key);
  }
  if (reply.versions.empty() && reply.wanted.empty()) return;
  send_to(ctx, from, Message::of(std::move(reply)));
}

void QuorumNode::on_anti_entropy_reply(Context& ctx, NodeId from,
                                       const AntiEntropyReply& message) {
  absorb(ctx, message.versions);
  AntiEntropyPush push;
  for (const std::string& key : message.wanted) {
    const Versions* mine = store_.find(key);
    if (mine != nullptr && is_preferred(key, from)) push.versions.emplace_back(key, *mine);
  }
  if (!push.versions.empty()) send_to(ctx, from, Message::of(std::move(push)));
}

void QuorumNode::on_anti_entropy_push(Context& ctx, NodeId /*from*/,
                                      const AntiEntropyPush& message) {
  absorb(ctx, message.versions);
}

std::size_t QuorumNode::absorb(Context& ctx, const KeyVersions& versions) {
  std::size_t changed = 0;
  for (const auto& [key, incoming] : versions) {
    if (!is_preferred(key, self_)) continue;
    if (store_.merge(ctx.disk(), key, incoming, config_.conflict)) ++changed;
  }
  if (changed != 0) ctx.disk().sync();
  return changed;
}

}  // namespace capsim::quorum
