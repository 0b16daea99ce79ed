#include "nodes/queue/log/controller.h"

#include <algorithm>

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::log {

namespace {

std::string state_key(PartitionIndex g) { return "ctl/p/" + std::to_string(g); }

std::string encode_state(const PartitionState& state) {
  std::string out;
  codec::put_number(state.leader, ',', out);
  codec::put_number(state.leader_epoch, ',', out);
  codec::put_number(state.partition_epoch, ',', out);
  codec::put_number(state.isr.size(), ',', out);
  for (const NodeId id : state.isr) codec::put_number(id, ',', out);
  return out;
}

bool decode_state(std::string_view text, PartitionState& out) {
  std::size_t pos = 0;
  std::uint64_t leader = 0;
  std::uint64_t count = 0;
  PartitionState state;
  if (!codec::read_number(text, pos, ',', leader) ||
      !codec::read_number(text, pos, ',', state.leader_epoch) ||
      !codec::read_number(text, pos, ',', state.partition_epoch) ||
      !codec::read_count(text, pos, ',', count) || leader > kNoNode) {
    return false;
  }
  state.leader = static_cast<NodeId>(leader);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t id = 0;
    if (!codec::read_number(text, pos, ',', id) || id >= kNoNode) return false;
    state.isr.push_back(static_cast<NodeId>(id));
  }
  if (pos != text.size()) return false;
  out = std::move(state);
  return true;
}

bool contains(const std::vector<NodeId>& ids, NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

LeaderChoice choose_leader(const PartitionPlace& place, const PartitionState& state,
                           const std::set<NodeId>& live, bool unclean_allowed) {
  for (const NodeId replica : place.replicas) {
    if (live.count(replica) != 0 && contains(state.isr, replica)) return {replica, false};
  }
  if (unclean_allowed) {
    for (const NodeId replica : place.replicas) {
      if (live.count(replica) != 0) return {replica, true};
    }
  }
  return {kNoNode, false};
}

Controller::Controller(const Config& config, const std::vector<PartitionPlace>& places,
                       std::function<void(Context&, const MetadataUpdate&)> apply_locally)
    : config_(config), places_(places), apply_locally_(std::move(apply_locally)) {}

void Controller::start(Context& ctx, std::uint64_t /*own_incarnation*/) {
  sessions_.clear();
  for (NodeId broker = 0; broker < config_.cluster_size; ++broker) {
    if (broker != kControllerNode) sessions_[broker] = Session{ctx.now(), 0, false};
  }
  if (!load(ctx)) {
    partitions_.assign(places_.size(), PartitionState{});
    for (PartitionIndex g = 0; g < places_.size(); ++g) {
      PartitionState& state = partitions_[g];
      state.leader = places_[g].replicas.front();
      state.leader_epoch = 1;
      state.partition_epoch = 1;
      state.isr = places_[g].replicas;
      std::sort(state.isr.begin(), state.isr.end());
    }
    ctx.note("log: controller starts with the preferred leaders");
  } else {
    // The controller's own broker restarted with it and may have lost its unsynced log: it
    // gives up what it led, exactly as it would for any other restarted broker.
    ctx.note("log: controller restarts from its synced state");
    fence(ctx, kControllerNode, "restarted");
    unfence(ctx, kControllerNode);
  }
  persist(ctx);
  announce(ctx);
}

bool Controller::is_fenced(NodeId broker) const {
  const auto it = sessions_.find(broker);
  return it != sessions_.end() && it->second.fenced;
}

std::set<NodeId> Controller::live_brokers() const {
  std::set<NodeId> live{kControllerNode};
  for (const auto& [broker, session] : sessions_) {
    if (!session.fenced) live.insert(broker);
  }
  return live;
}

void Controller::on_broker_heartbeat(Context& ctx, NodeId from, const BrokerHeartbeat& message) {
  const auto it = sessions_.find(from);
  if (it == sessions_.end()) return;  // not a broker of this cluster
  Session& session = it->second;
  session.last_heard = ctx.now();
  const bool restarted = session.incarnation != 0 && session.incarnation != message.incarnation;
  session.incarnation = message.incarnation;
  bool changed = false;
  if (restarted && !session.fenced) {
    fence(ctx, from, "restarted");
    changed = true;
  }
  if (session.fenced) {
    unfence(ctx, from);
    changed = true;
  }
  if (changed) {
    persist(ctx);
    announce(ctx);
  } else {
    ctx.send(from, Message::of(MetadataUpdate{partitions_}));
  }
}

void Controller::on_alter_partition(Context& ctx, NodeId from, const AlterPartition& message) {
  if (message.partition >= partitions_.size()) return;
  PartitionState& state = partitions_[message.partition];
  const PartitionPlace& place = places_[message.partition];
  bool valid = state.leader == from && state.leader_epoch == message.leader_epoch &&
               state.partition_epoch == message.partition_epoch && contains(message.isr, from);
  for (const NodeId id : message.isr) {
    if (!contains(place.replicas, id)) valid = false;
    if (!contains(state.isr, id) && is_fenced(id)) valid = false;  // no fenced joiner
  }
  if (!valid) {
    ctx.send(from, Message::of(MetadataUpdate{partitions_}));
    return;
  }
  state.isr = message.isr;
  ++state.partition_epoch;
  ctx.note("log: controller accepts isr " + node_list(state.isr) + " for " + place.name() +
           " (partition epoch " + std::to_string(state.partition_epoch) + ")");
  persist(ctx);
  announce(ctx);
}

void Controller::check_sessions(Context& ctx) {
  bool changed = false;
  for (auto& [broker, session] : sessions_) {
    if (session.fenced || ctx.now() - session.last_heard <= config_.session_timeout) continue;
    fence(ctx, broker, "session expired");
    changed = true;
  }
  if (changed) {
    persist(ctx);
    announce(ctx);
  }
}

void Controller::fence(Context& ctx, NodeId broker, const std::string& why) {
  if (broker != kControllerNode) sessions_[broker].fenced = true;
  ctx.note("log: controller fences " + node_name(broker) + " (" + why + ")");
  for (PartitionIndex g = 0; g < places_.size(); ++g) {
    PartitionState& state = partitions_[g];
    if (!contains(places_[g].replicas, broker)) continue;
    if (state.leader == broker) {
      elect(ctx, g, node_name(broker) + " " + why);
    } else if (contains(state.isr, broker) && state.isr.size() > 1) {
      state.isr.erase(std::find(state.isr.begin(), state.isr.end(), broker));
      ++state.partition_epoch;
    }
  }
}

void Controller::unfence(Context& ctx, NodeId broker) {
  if (broker != kControllerNode) sessions_[broker].fenced = false;
  ctx.note("log: controller unfences " + node_name(broker));
  for (PartitionIndex g = 0; g < places_.size(); ++g) {
    if (partitions_[g].leader == kNoNode && contains(places_[g].replicas, broker)) {
      elect(ctx, g, node_name(broker) + " is back");
    }
  }
}

void Controller::elect(Context& ctx, PartitionIndex g, const std::string& why) {
  PartitionState& state = partitions_[g];
  const PartitionPlace& place = places_[g];
  const NodeId old_leader = state.leader;
  std::set<NodeId> live = live_brokers();
  // The leader being replaced is not a candidate, even where it still counts as live (the
  // controller's own broker after a restart).
  live.erase(old_leader);
  const LeaderChoice choice =
      choose_leader(place, state, live, config_.unclean_leader_election);
  if (choice.leader == kNoNode && old_leader == kNoNode) return;  // still offline
  ++state.leader_epoch;
  ++state.partition_epoch;
  state.leader = choice.leader;
  if (choice.unclean) {
    state.isr = {choice.leader};
  } else if (old_leader != kNoNode && state.isr.size() > 1 && contains(state.isr, old_leader)) {
    state.isr.erase(std::find(state.isr.begin(), state.isr.end(), old_leader));
  }
  const std::string epoch = std::to_string(state.leader_epoch);
  if (choice.leader == kNoNode) {
    ctx.note("log: controller: " + place.name() + " offline in epoch " + epoch + " (" + why +
             ", no eligible replica alive; isr " + node_list(state.isr) + ")");
    return;
  }
  ctx.note("log: controller elects " + node_name(choice.leader) + " for " + place.name() +
           " epoch " + epoch + (choice.unclean ? " (unclean) " : " ") + "(" + why + ")");
  if (choice.unclean) {
    ctx.record_event({NodeEventKind::kUncleanElection, state.leader_epoch, 0,
                      "made " + node_name(choice.leader) + " leader of " + place.name() +
                          " (epoch " + epoch + ") from outside the ISR: messages it lacks are "
                          "lost"});
  }
}

void Controller::persist(Context& ctx) const {
  for (PartitionIndex g = 0; g < partitions_.size(); ++g) {
    ctx.disk().put(state_key(g), encode_state(partitions_[g]));
  }
  ctx.disk().sync();
}

bool Controller::load(Context& ctx) {
  std::vector<PartitionState> loaded(places_.size());
  for (PartitionIndex g = 0; g < places_.size(); ++g) {
    const std::optional<std::string> text = ctx.disk().get(state_key(g));
    if (!text || !decode_state(*text, loaded[g])) return false;
  }
  partitions_ = std::move(loaded);
  return true;
}

void Controller::announce(Context& ctx) {
  const MetadataUpdate update{partitions_};
  for (NodeId broker = 0; broker < config_.cluster_size; ++broker) {
    if (broker != kControllerNode) ctx.send(broker, Message::of(update));
  }
  if (apply_locally_) apply_locally_(ctx, update);
}

}  // namespace capsim::log
