#include "nodes/kv/quorum/quorum_node.h"

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::quorum {

namespace {

constexpr std::string_view kCounterKey = "counter";

// "3", or "{3|5}" for siblings.
std::string digest_value(const Versions& versions) {
  if (versions.size() == 1) return versions.front().value.to_text();
  std::string text = "{";
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (i != 0) text += '|';
    text += versions[i].value.to_text();
  }
  return text + "}";
}

}  // namespace

QuorumNode::QuorumNode(NodeId self, Config config, std::shared_ptr<const Ring> ring)
    : self_(self), config_(config), ring_(std::move(ring)) {
  CAPSIM_ASSERT(ring_ != nullptr && ring_->nodes() == config_.cluster_size);
  CAPSIM_ASSERT(self_ < config_.cluster_size);
  CAPSIM_ASSERT(config_.r >= 1 && config_.w >= 1 && config_.r <= config_.n &&
                config_.w <= config_.n && config_.n <= config_.cluster_size);
}

void QuorumNode::on_start(Context& ctx) {
  CAPSIM_ASSERT(ctx.self() == self_);
  std::size_t unreadable = 0;
  store_.load(ctx.disk(), &unreadable);
  std::size_t unreadable_hints = 0;
  hints_.load(ctx.disk(), &unreadable_hints);
  const std::size_t unreadable_sessions = sessions_.load(ctx.disk());
  if (unreadable + unreadable_hints + unreadable_sessions != 0) {
    ctx.note("quorum: skipped " +
             std::to_string(unreadable + unreadable_hints + unreadable_sessions) +
             " unreadable entries on disk");
    ctx.record_event({NodeEventKind::kStateTorn, 0, unreadable + unreadable_hints,
                      "restarted skipping " + std::to_string(unreadable + unreadable_hints) +
                          " unreadable entries on disk"});
  }
  write_counter_ = codec::read_stored_number(ctx.disk(), kCounterKey).value_or(0);
  if (!hints_.empty()) arm_handoff_timer(ctx);
  if (config_.anti_entropy > Duration{0}) {
    // Nodes start together; a random first delay keeps them from all exchanging at once.
    const auto first = Duration{ctx.rng().between(1, config_.anti_entropy.count())};
    ctx.set_timer(kAntiEntropyTimer, first);
  }
}

void QuorumNode::on_message(Context& ctx, NodeId from, const Message& message) {
  // Hearing from a node at all is the evidence that it is reachable again.
  if (from < config_.cluster_size) suspected_until_.erase(from);
  dispatch(ctx, from, message);
  drain_local(ctx);
}

void QuorumNode::dispatch(Context& ctx, NodeId from, const Message& message) {
  if (const auto* m = message.as<ClientRequest>()) return on_client_request(ctx, from, *m);
  if (const auto* m = message.as<ReplicaRead>()) return on_replica_read(ctx, from, *m);
  if (const auto* m = message.as<ReplicaReadReply>()) return on_read_reply(ctx, from, *m);
  if (const auto* m = message.as<ReplicaWrite>()) return on_replica_write(ctx, from, *m);
  if (const auto* m = message.as<ReplicaWriteAck>()) return on_write_ack(ctx, from, *m);
  if (const auto* m = message.as<HintHandoff>()) return on_hint_handoff(ctx, from, *m);
  if (const auto* m = message.as<HintHandoffAck>()) return on_hint_handoff_ack(ctx, from, *m);
  if (const auto* m = message.as<AntiEntropySummary>()) {
    return on_anti_entropy_summary(ctx, from, *m);
  }
  if (const auto* m = message.as<AntiEntropyReply>()) return on_anti_entropy_reply(ctx, from, *m);
  if (const auto* m = message.as<AntiEntropyPush>()) return on_anti_entropy_push(ctx, from, *m);
  ctx.note("quorum: ignored a message of kind " + std::string(message.kind()));
}

void QuorumNode::on_timer(Context& ctx, std::string_view name) {
  if (name == kDeadlineTimer) {
    on_deadline_timer(ctx);
  } else if (name == kHandoffTimer) {
    on_handoff_timer(ctx);
  } else if (name == kAntiEntropyTimer) {
    on_anti_entropy_timer(ctx);
  } else {
    ctx.note("quorum: ignored unknown timer " + std::string(name));
  }
  drain_local(ctx);
}

void QuorumNode::send_to(Context& ctx, NodeId to, Message message) {
  if (to == self_) {
    local_.push_back(std::move(message));
  } else {
    ctx.send(to, std::move(message));
  }
}

void QuorumNode::drain_local(Context& ctx) {
  // A coordinator that is also a replica talks to itself without a network hop. Those
  // messages wait here until the handler that sent them has finished, so no handler runs
  // inside another; each one handled may queue more, but every chain ends (a read reply or a
  // write ack queues nothing further to self beyond the next phase's requests).
  if (draining_) return;
  draining_ = true;
  while (!local_.empty()) {
    const Message message = std::move(local_.front());
    local_.pop_front();
    dispatch(ctx, self_, message);
  }
  draining_ = false;
}

bool QuorumNode::is_suspected(Context& ctx, NodeId node) const {
  const auto it = suspected_until_.find(node);
  return it != suspected_until_.end() && it->second > ctx.now();
}

std::string QuorumNode::state_digest() const {
  std::string digest;
  for (const auto& [key, versions] : store_.slots()) {
    if (!is_preferred(key, self_)) continue;
    if (!digest.empty()) digest += ';';
    digest += key + "=" + digest_value(versions);
  }
  return digest;
}

Version QuorumNode::new_version(Context& ctx, Value value, const Versions& based_on) {
  // The counter is durable before the dot leaves this node, so no restart reuses a dot.
  ++write_counter_;
  ctx.disk().put(kCounterKey, std::to_string(write_counter_));
  ctx.disk().sync();
  Version version;
  version.value = std::move(value);
  version.dot = Dot{self_, write_counter_};
  version.stamp = ctx.now();
  if (config_.conflict == ConflictMode::kSiblings) version.context = context_of(based_on);
  return version;
}

}  // namespace capsim::quorum
