#include "nodes/kv/crdt/crdt_node.h"

#include <utility>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/common/kv_operations.h"
#include "sim/assert.h"

namespace capsim::crdt {

namespace {

KeyState fresh_state(KeyType type) {
  switch (type) {
    case KeyType::kGCounter:
      return GCounter();
    case KeyType::kPnCounter:
      return PnCounter();
    case KeyType::kOrSet:
      return OrSet();
    case KeyType::kLwwRegister:
      return LwwRegister();
  }
  CAPSIM_ASSERT(false);
}

}  // namespace

CrdtNode::CrdtNode(NodeId self, Config config) : self_(self), config_(config) {
  CAPSIM_ASSERT(config_.cluster_size >= 1 && self_ < config_.cluster_size);
  CAPSIM_ASSERT(config_.gossip_interval > Duration{0});
}

void CrdtNode::on_start(Context& ctx) {
  CAPSIM_ASSERT(ctx.self() == self_);
  load(ctx);
  // A random first round spreads the replicas' rounds over the interval instead of having all
  // of them gossip at the same instants.
  const auto first = ctx.rng().between(1, config_.gossip_interval.count());
  ctx.set_timer(kGossipTimer, Duration{first});
}

void CrdtNode::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* m = message.as<ClientRequest>()) return on_client_request(ctx, from, *m);
  if (const auto* m = message.as<Gossip>()) return on_gossip(ctx, from, *m);
  ctx.note("crdt: ignored a message of kind " + std::string(message.kind()));
}

void CrdtNode::on_timer(Context& ctx, std::string_view name) {
  if (name == kGossipTimer) return on_gossip_timer(ctx);
  ctx.note("crdt: ignored unknown timer " + std::string(name));
}

void CrdtNode::on_client_request(Context& ctx, NodeId from, const ClientRequest& request) {
  const bool read_only = kv::is_read_only(request.f);
  if (!read_only) {
    // A second copy of an update (the network duplicated it) gets the first copy's answer: an
    // increment counted twice, or an add tagged twice, would be a second effect. Every update
    // is answered at once, so a copy never finds its first still pending.
    const auto admission = sessions_.sessions().admit(from, request.op_id, false);
    if (!admission.decide) {
      if (admission.resend != nullptr) ctx.send(from, Message::of(*admission.resend));
      return;
    }
  }
  ClientReply reply;
  if (request.key.empty()) {
    reply = kv::answered_fail_reply(request.op_id, "empty key");
  } else if (request.f == "read") {
    // Served from this replica alone: it may not have heard of updates made elsewhere yet.
    reply = kv::ok_reply(request.op_id, state_.read(request.key));
  } else if (request.f == "cas") {
    reply = kv::answered_fail_reply(request.op_id, "cas is not supported by crdt");
  } else if (request.f == "increment" || request.f == "add" || request.f == "remove" ||
             request.f == "write") {
    reply = update(ctx, request);
  } else {
    reply = kv::answered_fail_reply(request.op_id, "unknown operation '" + request.f + "'");
  }
  if (!read_only) remember_answer(ctx, from, reply);
  ctx.send(from, Message::of(std::move(reply)));
}

ClientReply CrdtNode::update(Context& ctx, const ClientRequest& request) {
  const std::string& f = request.f;
  const std::string& key = request.key;
  const Value& argument = request.value;
  const bool is_counter = f == "increment";
  KeyType wanted = KeyType::kLwwRegister;
  if (is_counter) {
    wanted = config_.counter == CounterKind::kG ? KeyType::kGCounter : KeyType::kPnCounter;
  } else if (f == "add" || f == "remove") {
    wanted = KeyType::kOrSet;
  }
  const KeyState* existing = state_.find(key);
  if (existing != nullptr && type_of(*existing) != wanted) {
    return kv::answered_fail_reply(request.op_id,
                                   f + " on " + key + ", whose type is " +
                                       std::string(type_name(type_of(*existing))) +
                                       " (a key keeps the type of its first update)");
  }
  // The shared kv semantics check the argument and say what an ok reply carries, so every
  // protocol answers the same operation alike. The key's type is settled above, so they are
  // evaluated as on a fresh key: that checks the same things without rebuilding a large set's
  // list on every add. `remove` is ours alone.
  Value reply_value = argument;
  if (f != "remove") {
    const kv::Effect effect = kv::evaluate(f, Value(), argument);
    if (!effect.ok) return kv::effect_reply(request.op_id, effect);
    reply_value = effect.reply;
  } else if (existing == nullptr) {
    // Nothing to remove, and a remove alone does not fix the key's type.
    return kv::ok_reply(request.op_id, argument);
  }
  if (wanted == KeyType::kGCounter && argument.integer() < 0) {
    return kv::answered_fail_reply(request.op_id, "a g-counter cannot be decremented (increment " +
                                                      argument.to_text() +
                                                      "; set counter: pn to allow it)");
  }

  const bool is_new = existing == nullptr;
  KeyState& state = is_new ? state_.create(key, fresh_state(wanted)) : *state_.find(key);
  if (auto* counter = std::get_if<GCounter>(&state)) {
    counter->increment(self_, static_cast<std::uint64_t>(argument.integer()));
  } else if (auto* counter = std::get_if<PnCounter>(&state)) {
    counter->increment(self_, argument.integer());
  } else if (auto* set = std::get_if<OrSet>(&state)) {
    if (f == "add") {
      set->add(argument, Dot{self_, next_sequence()});
    } else {
      set->remove(argument);
    }
  } else {
    auto& reg = std::get<LwwRegister>(state);
    const Stamp stamp{ctx.now(), self_, next_sequence()};
    if (!reg.assign(argument, stamp)) {
      // Acknowledged all the same: the client cannot tell, which is the point of the lesson.
      const std::string what = argument.to_text() + " to " + key + " at clock " +
                               format_seconds(stamp.time) + " lost at once to a write stamped " +
                               format_seconds(reg.stamp()->time) + " by n" +
                               std::to_string(reg.stamp()->node + 1);
      ctx.note("crdt: write " + what);
      ctx.record_event({NodeEventKind::kWriteLost, 0, 1, "acknowledged write " + what});
    }
  }
  snapshot_.reset();
  unsaved_keys_.insert(key);
  persist(ctx, config_.sync_disk);
  return kv::ok_reply(request.op_id, std::move(reply_value));
}

std::uint64_t CrdtNode::next_sequence() {
  CAPSIM_ASSERT(updates_this_boot_ + 1 < kSequencesPerBoot);
  ++updates_this_boot_;
  return boot_ * kSequencesPerBoot + updates_this_boot_;
}

}  // namespace capsim::crdt
