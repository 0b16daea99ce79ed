// Hinted handoff: a fallback returns the versions it kept for an unreachable replica.
//
// Every hint_interval, while it holds hints, a node sends each intended replica (in id order)
// its hints for it, at most kMaxBatch keys at a time. Nothing tells a fallback that a replica is
// back, so each attempt is also the probe: to an unreachable replica it is simply lost. The
// replica reconciles the versions into its own store, syncs, and acknowledges each key with the
// hash of what it received; the fallback drops a hint only if it still holds exactly that, so a
// hint that grew meanwhile is handed off again.
#include "nodes/kv/quorum/quorum_node.h"

namespace capsim::quorum {

void QuorumNode::arm_handoff_timer(Context& ctx) {
  // Only when not armed yet: re-arming on every new hint would push the handoff back for as
  // long as hints keep arriving.
  if (handoff_armed_) return;
  handoff_armed_ = true;
  ctx.set_timer(kHandoffTimer, config_.hint_interval);
}

void QuorumNode::on_handoff_timer(Context& ctx) {
  handoff_armed_ = false;
  for (const NodeId intended : hints_.intended_nodes()) {
    HintHandoff handoff;
    for (auto& [key, versions] : hints_.hints_for(intended, kMaxBatch)) {
      handoff.hints.emplace_back(key, std::move(versions));
    }
    send_to(ctx, intended, Message::of(std::move(handoff)));
  }
  if (!hints_.empty()) arm_handoff_timer(ctx);
}

void QuorumNode::on_hint_handoff(Context& ctx, NodeId from, const HintHandoff& message) {
  HintHandoffAck ack;
  bool changed = false;
  for (const auto& [key, versions] : message.hints) {
    changed = store_.merge(ctx.disk(), key, versions, config_.conflict) || changed;
    ack.received.emplace_back(key, versions_hash(versions));
  }
  if (changed) ctx.disk().sync();
  send_to(ctx, from, Message::of(std::move(ack)));
}

void QuorumNode::on_hint_handoff_ack(Context& ctx, NodeId from, const HintHandoffAck& message) {
  std::size_t delivered = 0;
  for (const auto& [key, hash] : message.received) {
    const Versions* held = hints_.find(from, key);
    if (held == nullptr || versions_hash(*held) != hash) continue;
    hints_.erase(ctx.disk(), from, key);
    ++delivered;
  }
  if (delivered == 0) return;
  // Not synced on purpose: a crash that forgets the removal only repeats a harmless handoff.
  const std::string what = std::to_string(delivered) + (delivered == 1 ? " hint" : " hints") +
                           " to n" + std::to_string(from + 1);
  ctx.note("quorum: handed off " + std::to_string(delivered) + " hints to n" +
           std::to_string(from + 1));
  ctx.record_event({NodeEventKind::kHandoff, 0, delivered, "handed off " + what});
  if (hints_.empty()) {
    ctx.cancel_timer(kHandoffTimer);
    handoff_armed_ = false;
  }
}

}  // namespace capsim::quorum
