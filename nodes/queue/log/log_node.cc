// The node: start and restart, dispatch, metadata from the controller and the roles it gives.

#include "nodes/queue/log/log_node.h"

#include <algorithm>
#include <cstdio>

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::log {

namespace {

constexpr std::string_view kIncarnationKey = "log/incarnation";

// A state is newer than another when it comes from a later leader epoch, or from the same one
// with a later partition epoch.
bool is_newer(const PartitionState& candidate, const PartitionState& known) {
  if (candidate.leader_epoch != known.leader_epoch) {
    return candidate.leader_epoch > known.leader_epoch;
  }
  return candidate.partition_epoch > known.partition_epoch;
}

std::vector<NodeId> minus(const std::vector<NodeId>& a, const std::vector<NodeId>& b) {
  std::vector<NodeId> result;
  for (const NodeId id : a) {
    if (std::find(b.begin(), b.end(), id) == b.end()) result.push_back(id);
  }
  return result;
}

}  // namespace

LogNode::LogNode(NodeId self, Config config)
    : self_(self), config_(std::move(config)), places_(place_partitions(config_)) {}

bool LogNode::leads(PartitionIndex g) const {
  return g < metadata_.size() && metadata_[g].leader == self_ && hosts(g);
}

void LogNode::on_start(Context& ctx) {
  // The incarnation is registration data, always synced: the controller must see a restart.
  incarnation_ = codec::read_stored_number(ctx.disk(), kIncarnationKey).value_or(0) + 1;
  ctx.disk().put(kIncarnationKey, std::to_string(incarnation_));
  ctx.disk().sync();
  metadata_.assign(places_.size(), PartitionState{});
  for (PartitionIndex g = 0; g < places_.size(); ++g) {
    const auto& replicas = places_[g].replicas;
    if (std::find(replicas.begin(), replicas.end(), self_) == replicas.end()) continue;
    Replica replica;
    replica.log = PartitionLog::load(ctx.disk(), g, replica.hw);
    replica.producers.rebuild(replica.log);
    replica.stored_end = replica.log.end_offset();
    replica.dirty_from = replica.stored_end;
    if (incarnation_ > 1) {
      ctx.note("log: " + node_name(self_) + " restarts " + places_[g].name() + " with " +
               std::to_string(replica.log.end_offset()) + " entries, hw " +
               std::to_string(replica.hw));
    }
    replicas_.emplace(g, std::move(replica));
  }
  if (self_ == kControllerNode) {
    coordinator_.emplace(config_);
    coordinator_->start(ctx);
    controller_.emplace(config_, places_, [this](Context& c, const MetadataUpdate& update) {
      on_metadata(c, update);
    });
    controller_->start(ctx, incarnation_);
    ctx.set_timer(kSessionsTimer, config_.heartbeat);
  } else {
    send_heartbeat(ctx);
    ctx.set_timer(kHeartbeatTimer, config_.heartbeat);
  }
  ctx.set_timer(kTickTimer, config_.replica_fetch_interval);
  if (config_.flush == Flush::kInterval) ctx.set_timer(kFlushTimer, config_.flush_interval);
}

void LogNode::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* m = message.as<MetadataUpdate>()) {
    if (from == kControllerNode) on_metadata(ctx, *m);
  } else if (const auto* m = message.as<ReplicaFetch>()) {
    on_replica_fetch(ctx, from, *m);
  } else if (const auto* m = message.as<ReplicaFetchReply>()) {
    on_fetch_reply(ctx, from, *m);
  } else if (const auto* m = message.as<QueuePublish>()) {
    on_publish(ctx, from, *m);
  } else if (const auto* m = message.as<LogFetch>()) {
    on_log_fetch(ctx, from, *m);
  } else if (const auto* m = message.as<BrokerHeartbeat>()) {
    if (controller_) controller_->on_broker_heartbeat(ctx, from, *m);
  } else if (const auto* m = message.as<AlterPartition>()) {
    if (controller_) controller_->on_alter_partition(ctx, from, *m);
  } else if (message.is<GroupJoin>() || message.is<GroupHeartbeat>() ||
             message.is<OffsetCommit>()) {
    on_group_message(ctx, from, message);
  } else {
    ctx.note("log: ignored " + std::string(message.kind()));
  }
}

void LogNode::on_timer(Context& ctx, std::string_view name) {
  if (name == kHeartbeatTimer) {
    send_heartbeat(ctx);
    ctx.set_timer(kHeartbeatTimer, config_.heartbeat);
  } else if (name == kSessionsTimer && controller_) {
    controller_->check_sessions(ctx);
    coordinator_->expire_members(ctx);
    ctx.set_timer(kSessionsTimer, config_.heartbeat);
  } else if (name == kTickTimer) {
    on_tick(ctx);
    ctx.set_timer(kTickTimer, config_.replica_fetch_interval);
  } else if (name == kFlushTimer) {
    flush_all(ctx);
    ctx.set_timer(kFlushTimer, config_.flush_interval);
  }
}

void LogNode::send_heartbeat(Context& ctx) {
  ctx.send(kControllerNode, Message::of(BrokerHeartbeat{incarnation_}));
}

void LogNode::on_metadata(Context& ctx, const MetadataUpdate& update) {
  if (update.partitions.size() != metadata_.size()) return;
  for (PartitionIndex g = 0; g < metadata_.size(); ++g) {
    const PartitionState& incoming = update.partitions[g];
    const PartitionState before = metadata_[g];
    if (hosts(g) && replicas_.at(g).isr_change_in_flight &&
        incoming.partition_epoch != replicas_.at(g).proposal_base) {
      replicas_.at(g).isr_change_in_flight = false;  // accepted, or overtaken by another change
    }
    if (!is_newer(incoming, before)) continue;
    metadata_[g] = incoming;
    if (!hosts(g)) continue;
    const bool led = before.leader == self_;
    const bool leads_now = incoming.leader == self_;
    if (incoming.leader_epoch != before.leader_epoch) {
      if (led && !leads_now) stop_leading(ctx, g, incoming);
      if (leads_now) {
        become_leader(ctx, g);
      } else {
        Replica& replica = replicas_.at(g);
        replica.fetch_in_flight = false;  // fetch from the new leader at the next tick
        replica.followers.clear();
        replica.pending.clear();
      }
    } else if (leads_now && incoming.isr != before.isr) {
      on_isr_changed(ctx, g, before.isr);
    }
  }
}

void LogNode::become_leader(Context& ctx, PartitionIndex g) {
  Replica& replica = replicas_.at(g);
  const PartitionState& state = metadata_[g];
  replica.followers.clear();
  for (const NodeId id : places_[g].replicas) {
    // A follower's end is unknown until it fetches in this epoch; it counts as caught up now,
    // so the new leader gives it the lag time to show up before dropping it.
    if (id != self_) replica.followers[id] = FollowerProgress{-1, ctx.now(), 0, ctx.now()};
  }
  replica.epoch_start = replica.log.end_offset();
  replica.pending.clear();
  replica.isr_change_in_flight = false;
  replica.hw = std::min(replica.hw, replica.log.end_offset());
  const std::string epoch = std::to_string(state.leader_epoch);
  ctx.note("log: " + node_name(self_) + " leads " + places_[g].name() + " in epoch " + epoch +
           " from offset " + std::to_string(replica.epoch_start) + ", isr " +
           node_list(state.isr));
  ctx.record_event({NodeEventKind::kElected, state.leader_epoch, 0,
                    "leads " + places_[g].name() + " (epoch " + epoch + ", isr " +
                        node_list(state.isr) + ", log end " +
                        std::to_string(replica.epoch_start) + ")"});
  advance_high_watermark(ctx, g);
}

void LogNode::stop_leading(Context& ctx, PartitionIndex g, const PartitionState& now_known) {
  Replica& replica = replicas_.at(g);
  ctx.note("log: " + node_name(self_) + " stops leading " + places_[g].name() + ": epoch " +
           std::to_string(now_known.leader_epoch) + " is led by " + node_name(now_known.leader) +
           "; " + std::to_string(replica.pending.size()) + " publishes left unanswered");
  ctx.record_event({NodeEventKind::kSteppedDown, now_known.leader_epoch, 0,
                    "stopped leading " + places_[g].name() + " (epoch " +
                        std::to_string(now_known.leader_epoch) + " is led by " +
                        node_name(now_known.leader) + ")"});
}

void LogNode::on_isr_changed(Context& ctx, PartitionIndex g, const std::vector<NodeId>& before) {
  const PartitionState& state = metadata_[g];
  const std::vector<NodeId> left = minus(before, state.isr);
  const std::vector<NodeId> joined = minus(state.isr, before);
  const std::string epoch = std::to_string(state.leader_epoch);
  if (!left.empty()) {
    ctx.note("log: " + places_[g].name() + " isr shrinks to " + node_list(state.isr) +
             " (without " + node_list(left) + ")");
    ctx.record_event({NodeEventKind::kIsrShrunk, state.leader_epoch, left.size(),
                      places_[g].name() + " ISR shrank to " + node_list(state.isr) + " (" +
                          node_list(left) + " out, epoch " + epoch + ")"});
  }
  if (!joined.empty()) {
    ctx.note("log: " + places_[g].name() + " isr expands to " + node_list(state.isr));
    ctx.record_event({NodeEventKind::kIsrExpanded, state.leader_epoch, joined.size(),
                      places_[g].name() + " ISR expanded to " + node_list(state.isr) + " (" +
                          node_list(joined) + " caught up, epoch " + epoch + ")"});
  }
  advance_high_watermark(ctx, g);
}

std::string LogNode::state_digest() const {
  std::string digest;
  for (const auto& [g, replica] : replicas_) {
    // FNV-1a over the committed prefix; offsets and epochs included, so two logs that hold the
    // same ids at different places differ.
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    auto mix = [&hash](std::string_view bytes) {
      for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
      }
    };
    for (Offset offset = 0; offset < replica.hw; ++offset) {
      const LogEntry& entry = replica.log.at(offset);
      mix(std::to_string(entry.offset) + "@" + std::to_string(entry.epoch) + " " +
          entry.message_id.to_text() + ";");
    }
    char text[32];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    if (!digest.empty()) digest += ";";
    digest += places_[g].name() + "=" + std::to_string(replica.hw) + ":" + text;
  }
  return digest;
}

}  // namespace capsim::log
