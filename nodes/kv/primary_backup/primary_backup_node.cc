#include "nodes/kv/primary_backup/primary_backup_node.h"

#include <algorithm>
#include <optional>

#include "nodes/kv/common/client_replies.h"
#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::pb {

namespace {

constexpr std::string_view kEpochKey = "epoch";
constexpr std::string_view kVoteKey = "vote";
constexpr std::string_view kBootsKey = "boots";

}  // namespace

PrimaryBackupNode::PrimaryBackupNode(NodeId self, Config config)
    : self_(self), config_(config) {
  CAPSIM_ASSERT(config_.cluster_size >= 1 && self_ < config_.cluster_size);
  CAPSIM_ASSERT(config_.required_acks() <= config_.cluster_size - 1);
}

void PrimaryBackupNode::on_start(Context& ctx) {
  CAPSIM_ASSERT(ctx.self() == self_);
  Disk& disk = ctx.disk();
  // The boot count is synced even with sync_disk=false: it is what lets n1 under
  // failover=none open an epoch no earlier incarnation used, even after losing its log. At start
  // nothing else is pending (a crash dropped it), so this sync makes nothing else durable.
  const std::uint64_t boots = codec::read_stored_number(disk, kBootsKey).value_or(0) + 1;
  disk.put(kBootsKey, std::to_string(boots));
  disk.sync();

  epoch_ = codec::read_stored_number(disk, kEpochKey).value_or(1);
  const std::optional<std::uint64_t> vote = codec::read_stored_number(disk, kVoteKey);
  voted_for_ = vote ? static_cast<NodeId>(*vote) : kNoNode;
  bool complete = true;
  log_ = Log::load(disk, &complete);
  if (!complete) {
    ctx.note("pb: the log on disk breaks off after entry " + std::to_string(log_.last_index()) +
             "; keeping entries up to there");
    ctx.record_event({NodeEventKind::kStateTorn, epoch_, 0,
                      "restarted with its log on disk broken off after entry " +
                          std::to_string(log_.last_index())});
  }
  rebuild_state();
  const bool first_boot = boots == 1;

  if (!uses_failover()) {
    if (self_ == 0) {
      // A later incarnation of the fixed primary starts a fresh epoch with a no-op, so backups
      // drop whatever the earlier incarnation sent that this one no longer has.
      if (!first_boot) epoch_ = std::max<Epoch>(epoch_ + 1, boots);
      become_primary(ctx, /*append_noop=*/!first_boot);
    } else {
      become_backup(ctx, 0);
    }
    return;
  }
  if (self_ == 0 && first_boot) {
    become_primary(ctx, /*append_noop=*/false);
    return;
  }
  // A restarted replica does not know who leads now; the next Replicate tells it.
  become_backup(ctx, first_boot ? 0 : kNoNode);
}

void PrimaryBackupNode::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* m = message.as<ClientRequest>()) return on_client_request(ctx, from, *m);
  if (const auto* m = message.as<Replicate>()) return on_replicate(ctx, from, *m);
  if (const auto* m = message.as<ReplicateAck>()) return on_replicate_ack(ctx, from, *m);
  if (const auto* m = message.as<RequestVote>()) return on_request_vote(ctx, from, *m);
  if (const auto* m = message.as<Vote>()) return on_vote(ctx, from, *m);
  ctx.note("pb: ignored a message of kind " + std::string(message.kind()));
}

void PrimaryBackupNode::on_timer(Context& ctx, std::string_view name) {
  if (name == kHeartbeatTimer) return on_heartbeat_timer(ctx);
  if (name == kFailoverTimer) return on_failover_timer(ctx);
  ctx.note("pb: ignored unknown timer " + std::string(name));
}

std::string PrimaryBackupNode::state_digest() const { return state_.digest(); }

Value PrimaryBackupNode::value_of(const std::string& key) const { return state_.get(key); }

void PrimaryBackupNode::on_client_request(Context& ctx, NodeId from,
                                          const ClientRequest& request) {
  if (role_ != Role::kPrimary) {
    if (primary_ == kNoNode || primary_ == self_) {
      return reply(ctx, from, kv::refused_reply(request.op_id, "no primary known"));
    }
    return reply(ctx, from, kv::redirect_reply(request.op_id, primary_));
  }
  const bool read_only = kv::is_read_only(request.f);
  if (!read_only) {
    // A second copy of an update (the network duplicated it) must not take effect again: it
    // gets the first copy's answer, or none while that is still waiting for confirmations.
    const auto admission = sessions_.admit(from, request.op_id, false);
    if (!admission.decide) {
      if (admission.resend != nullptr) reply(ctx, from, *admission.resend);
      return;
    }
  }
  // Every answer decided here, not only those of entries, is the one a second copy gets.
  auto decide = [&](ClientReply answer) {
    if (!read_only) sessions_.record(from, answer);
    reply(ctx, from, std::move(answer));
  };
  if (request.key.empty()) return decide(kv::answered_fail_reply(request.op_id, "empty key"));
  // What the operation does is decided once for all kv protocols (kv_operations.h); this node
  // decides only where: on the primary, against its current state.
  const kv::Effect effect = kv::evaluate(request.f, state_.get(request.key), request.value);
  if (!effect.ok) return decide(kv::effect_reply(request.op_id, effect));
  if (!effect.new_value) {
    // A read, served from local state without asking anyone: a primary that has been deposed
    // without knowing it answers with stale data.
    return decide(kv::ok_reply(request.op_id, effect.reply));
  }
  if (config_.mode == Mode::kSync && pending_.size() >= kMaxPending) {
    return decide(kv::refused_reply(request.op_id, "overloaded"));
  }
  // The log holds the key's new value, not the operation: backups replay it without
  // re-evaluating a cas condition or re-adding to a set.
  append_client_entry(ctx, from, request, *effect.new_value);
}

void PrimaryBackupNode::append_client_entry(Context& ctx, NodeId from,
                                            const ClientRequest& request, Value value) {
  Entry entry{epoch_, log_.last_index() + 1, request.key, std::move(value), from, request.op_id};
  log_.append(ctx.disk(), entry);
  persist(ctx);
  apply(entry);  // also records the request as answered ok
  if (config_.mode == Mode::kSync) {
    // Not answered until confirmed: a second copy meanwhile waits with the first.
    sessions_.begin(from, request.op_id);
    pending_.emplace(entry.index, PendingReply{from, request.op_id});
    advance_commit(ctx);
  } else {
    reply(ctx, from, kv::ok_reply(request.op_id));
  }
  // Every backup gets what it has not been sent yet: just this entry when it keeps up.
  replicate_to_all(ctx);
}

void PrimaryBackupNode::reply(Context& ctx, NodeId to, ClientReply reply) const {
  ctx.send(to, Message::of(std::move(reply)));
}

void PrimaryBackupNode::persist_epoch_and_vote(Context& ctx) const {
  ctx.disk().put(kEpochKey, std::to_string(epoch_));
  ctx.disk().put(kVoteKey, voted_for_ == kNoNode ? "none" : std::to_string(voted_for_));
  persist(ctx);
}

void PrimaryBackupNode::persist(Context& ctx) const {
  if (config_.sync_disk) ctx.disk().sync();
}

void PrimaryBackupNode::apply(const Entry& entry) {
  if (entry.is_noop()) return;
  state_.put(entry.key, entry.value);
  // Every replica learns which requests took effect, so whichever becomes primary answers a
  // second copy of one instead of applying it again.
  if (entry.client != kNoNode) sessions_.record(entry.client, kv::ok_reply(entry.op_id));
}

void PrimaryBackupNode::rebuild_state() {
  state_ = kv::KvState{};
  sessions_.clear();
  for (const Entry& entry : log_.entries()) apply(entry);
}

}  // namespace capsim::pb
