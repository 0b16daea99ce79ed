// The coordinator side of the quorum protocol: client requests, quorum phases, timeouts.
#include "nodes/kv/quorum/coordinator.h"

#include <algorithm>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/common/kv_operations.h"
#include "nodes/kv/quorum/quorum_node.h"
#include "sim/assert.h"

namespace capsim::quorum {

void QuorumNode::on_client_request(Context& ctx, NodeId from, const ClientRequest& request) {
  const bool read_only = kv::is_read_only(request.f);
  if (!read_only) {
    // A second copy of an update (the network duplicated it) must not start a second
    // operation: a read-modify-write would apply its increment or add twice. The copy gets the
    // first one's answer, or none while the first is under way (or ended without an answer).
    const auto admission = sessions_.sessions().admit(from, request.op_id, true);
    if (!admission.decide) {
      if (admission.resend != nullptr) ctx.send(from, Message::of(*admission.resend));
      return;
    }
  }
  // What the request itself makes impossible is an answer; a full table is a refusal. Either
  // is what a second copy gets.
  auto send_fail = [&](ClientReply answer) {
    if (!read_only) sessions_.remember(ctx.disk(), from, answer, true);
    ctx.send(from, Message::of(std::move(answer)));
  };
  auto answer_no = [&](std::string why) {
    send_fail(kv::answered_fail_reply(request.op_id, std::move(why)));
  };
  if (request.f == "cas") return answer_no("cas is not supported by quorum");
  if (!kv::is_known_operation(request.f)) {
    return answer_no("unknown operation '" + request.f + "'");
  }
  if (request.key.empty()) return answer_no("empty key");
  if (operations_.size() >= kMaxPending) {
    return send_fail(kv::refused_reply(request.op_id, "overloaded"));
  }

  Operation op;
  op.id = next_op_++;
  op.client = from;
  op.client_op = request.op_id;
  op.f = request.f;
  op.key = request.key;
  op.argument = request.value;
  op.request_deadline = ctx.now() + config_.request_timeout;
  Operation& stored = operations_.emplace(op.id, std::move(op)).first->second;
  add_deadline(ctx, stored.request_deadline, stored.id);

  // A blind write needs no context under lww: its timestamp alone orders it.
  if (stored.f == "write" && config_.conflict == ConflictMode::kLww) {
    stored.versions = {new_version(ctx, stored.argument, {})};
    stored.reply_value = stored.argument;
    return start_phase(ctx, stored, Phase::kWrite);
  }
  start_phase(ctx, stored, Phase::kRead);
}

void QuorumNode::start_phase(Context& ctx, Operation& op, Phase phase) {
  op.phase = phase;
  op.answers = 0;
  op.targets = initial_targets(ring_->walk(op.key, config_.sloppy ? config_.cluster_size
                                                                 : config_.n),
                               config_.n, config_.sloppy,
                               [&](NodeId node) { return is_suspected(ctx, node); });
  op.replica_deadline = ctx.now() + config_.replica_timeout;
  add_deadline(ctx, op.replica_deadline, op.id);
  for (const Target& target : op.targets) send_phase_request(ctx, op, target);
}

void QuorumNode::send_phase_request(Context& ctx, const Operation& op, const Target& target) {
  if (op.phase == Phase::kRead) {
    send_to(ctx, target.node, Message::of(ReplicaRead{op.id, op.key}));
    return;
  }
  ReplicaWrite write;
  write.op = op.id;
  write.key = op.key;
  write.versions = op.versions;
  write.hint_for = target.hint_for;
  send_to(ctx, target.node, Message::of(std::move(write)));
}

void QuorumNode::on_read_reply(Context& ctx, NodeId from, const ReplicaReadReply& reply) {
  const auto it = operations_.find(reply.op);
  if (it == operations_.end() || it->second.phase != Phase::kRead) return;
  Operation& op = it->second;
  Target* target = op.target(from);
  if (target == nullptr || target->answered) return;  // a stranger, or a duplicate
  target->answered = true;
  ++op.answers;
  op.read_replies[from] = reply.versions;
  op.versions = reconcile(op.versions, reply.versions, config_.conflict);
  if (op.answered) {
    // A late reply to a read that has answered: only read repair still cares.
    repair(ctx, op, from, reply.versions);
    if (op.answers == op.targets.size()) operations_.erase(it);
    return;
  }
  if (op.answers >= config_.r) finish_read_phase(ctx, op);
}

void QuorumNode::finish_read_phase(Context& ctx, Operation& op) {
  for (const auto& [node, seen] : op.read_replies) repair(ctx, op, node, seen);
  const Value current = resolve_value(op.versions);
  if (op.f == "read") {
    op.reply_value = current;
    if (config_.read_writeback) return start_phase(ctx, op, Phase::kWriteback);
    answer(ctx, op, kv::ok_reply(op.client_op, current));
    op.answered = true;
    // Keep the operation until the other replicas reply (for read repair) or it times out.
    if (!config_.read_repair || op.answers == op.targets.size()) operations_.erase(op.id);
    return;
  }
  // Read-modify-write: the operation applies to the value read, as kv_operations defines it.
  const kv::Effect effect = kv::evaluate(op.f, current, op.argument);
  if (!effect.ok) {
    answer(ctx, op, kv::effect_reply(op.client_op, effect));
    operations_.erase(op.id);
    return;
  }
  op.reply_value = effect.reply;
  const Versions read = op.versions;
  op.versions = {new_version(ctx, effect.new_value.value_or(current), read)};
  start_phase(ctx, op, Phase::kWrite);
}

void QuorumNode::on_write_ack(Context& ctx, NodeId from, const ReplicaWriteAck& ack) {
  const auto it = operations_.find(ack.op);
  if (it == operations_.end() || it->second.phase == Phase::kRead) return;
  Operation& op = it->second;
  Target* target = op.target(from);
  if (target == nullptr || target->answered) return;
  target->answered = true;
  ++op.answers;
  if (op.answers >= config_.w) finish_write_phase(ctx, op);
}

void QuorumNode::finish_write_phase(Context& ctx, Operation& op) {
  answer(ctx, op, kv::ok_reply(op.client_op, op.reply_value));
  operations_.erase(op.id);
}

void QuorumNode::repair(Context& ctx, const Operation& op, NodeId node, const Versions& seen) {
  if (!config_.read_repair || same_versions(reconcile(seen, op.versions, config_.conflict),
                                            seen)) {
    return;
  }
  const auto found = std::find_if(op.targets.begin(), op.targets.end(),
                                  [&](const Target& t) { return t.node == node; });
  ReplicaWrite write;
  write.op = 0;  // no acknowledgement wanted
  write.key = op.key;
  write.versions = op.versions;
  write.hint_for = found == op.targets.end() ? kNoNode : found->hint_for;
  send_to(ctx, node, Message::of(std::move(write)));
}

void QuorumNode::answer(Context& ctx, const Operation& op, ClientReply reply) {
  if (!kv::is_read_only(op.f)) sessions_.remember(ctx.disk(), op.client, reply, true);
  ctx.send(op.client, Message::of(std::move(reply)));
}

void QuorumNode::add_deadline(Context& ctx, Time at, std::uint64_t op_id) {
  deadlines_.emplace(at, op_id);
  if (deadlines_.begin()->first == at && deadlines_.begin()->second == op_id) {
    ctx.set_timer(kDeadlineTimer, std::max(Duration{0}, at - ctx.now()));
  }
}

void QuorumNode::on_deadline_timer(Context& ctx) {
  // Deadlines are on this node's clock; a clock that jumped back only delays them.
  while (!deadlines_.empty() && deadlines_.begin()->first <= ctx.now()) {
    const std::uint64_t op_id = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    const auto it = operations_.find(op_id);
    if (it == operations_.end()) continue;
    Operation& op = it->second;
    if (op.request_deadline <= ctx.now()) {
      expire(ctx, op);
    } else if (op.replica_deadline <= ctx.now()) {
      give_up_on_silent_targets(ctx, op);
    }
  }
  if (!deadlines_.empty()) {
    ctx.set_timer(kDeadlineTimer, std::max(Duration{0}, deadlines_.begin()->first - ctx.now()));
  }
}

void QuorumNode::give_up_on_silent_targets(Context& ctx, Operation& op) {
  std::vector<std::size_t> silent;  // targets given up on just now
  for (std::size_t i = 0; i < op.targets.size(); ++i) {
    Target& target = op.targets[i];
    if (target.answered || target.given_up) continue;
    target.given_up = true;
    silent.push_back(i);
    // Suspicion lasts one handoff interval, or until the node is heard from again.
    if (target.node != self_) suspected_until_[target.node] = ctx.now() + config_.hint_interval;
  }
  if (!config_.sloppy || op.answered || silent.empty()) return;
  const std::vector<NodeId> walk = ring_->walk(op.key, config_.cluster_size);
  const auto suspected = [&](NodeId node) { return is_suspected(ctx, node); };
  for (const std::size_t i : silent) {
    const std::optional<NodeId> fallback = next_fallback(walk, config_.n, op.targets, suspected);
    if (!fallback) break;
    Target replacement;
    replacement.node = *fallback;
    // A fallback standing in for a silent fallback inherits the hint it was to keep.
    replacement.hint_for =
        op.targets[i].hint_for != kNoNode ? op.targets[i].hint_for : op.targets[i].node;
    op.targets.push_back(replacement);
    send_phase_request(ctx, op, replacement);
  }
  op.replica_deadline = ctx.now() + config_.replica_timeout;
  add_deadline(ctx, op.replica_deadline, op.id);
}

void QuorumNode::expire(Context& ctx, Operation& op) {
  const std::string got = std::to_string(op.answers) + " of " +
                          std::to_string(op.phase == Phase::kRead ? config_.r : config_.w);
  if (op.answered) {
    // A read that already answered and waited for late replies to repair.
  } else if (op.phase == Phase::kRead) {
    answer(ctx, op, kv::refused_reply(op.client_op, "read quorum not reached (" + got + ")"));
  } else if (op.phase == Phase::kWriteback) {
    // The versions written back were already on some replica: failing the read is still true.
    answer(ctx, op, kv::refused_reply(op.client_op, "write-back quorum not reached (" + got + ")"));
  } else {
    // Some replicas may hold the new version: the write may have taken effect. Say nothing.
    ctx.note("quorum: " + op.f + " " + op.key + " reached " + got +
             " replicas before the timeout; its outcome is unknown, no answer");
  }
  operations_.erase(op.id);
}

}  // namespace capsim::quorum
