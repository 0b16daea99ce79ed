#include "nodes/queue/log/group_coordinator.h"

#include <algorithm>

#include "nodes/common/value_codec.h"

namespace capsim::log {

namespace {

constexpr std::string_view kGroupNamesKey = "grp/names";

std::string group_key(const std::string& name) { return "grp/g/" + name; }

QueueStatus ok_status(std::uint64_t op_id) {
  QueueStatus status;
  status.op_id = op_id;
  return status;
}

QueueStatus answered_fail(std::uint64_t op_id, std::string error) {
  QueueStatus status;
  status.op_id = op_id;
  status.outcome = QueueOutcome::kFail;
  status.answered = true;
  status.error = std::move(error);
  return status;
}

}  // namespace

std::vector<std::int64_t> assign_round_robin(std::uint32_t partitions, std::size_t members,
                                             std::size_t index) {
  std::vector<std::int64_t> share;
  if (members == 0) return share;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    if (p % members == index) share.push_back(p);
  }
  return share;
}

GroupCoordinator::GroupCoordinator(const Config& config) : config_(config) {}

std::string GroupCoordinator::client_name(NodeId id) const {
  return id >= config_.cluster_size ? "c" + std::to_string(id - config_.cluster_size + 1)
                                    : "n" + std::to_string(id + 1);
}

void GroupCoordinator::start(Context& ctx) {
  groups_.clear();
  std::vector<std::string> names;
  const std::optional<std::string> stored = ctx.disk().get(kGroupNamesKey);
  if (!stored || !codec::decode_strings(*stored, names)) return;
  for (const std::string& name : names) {
    const std::optional<std::string> text = ctx.disk().get(group_key(name));
    if (!text) continue;
    Group group;
    std::size_t pos = 0;
    std::uint64_t count = 0;
    if (!codec::read_bytes(*text, pos, group.topic) ||
        !codec::read_number(*text, pos, ',', group.generation) ||
        !codec::read_count(*text, pos, ',', count)) {
      continue;
    }
    bool ok = true;
    for (std::uint64_t i = 0; ok && i < count; ++i) {
      std::int64_t partition = 0;
      std::int64_t offset = 0;
      ok = codec::read_signed(*text, pos, ',', partition) && codec::read_signed(*text, pos, ',', offset);
      if (ok) group.committed[partition] = offset;
    }
    if (ok) groups_.emplace(name, std::move(group));
  }
}

void GroupCoordinator::persist(Context& ctx, const std::string& name, const Group& group) const {
  std::vector<std::string> names;
  for (const auto& [group_name, unused] : groups_) names.push_back(group_name);
  ctx.disk().put(kGroupNamesKey, codec::encode_strings(names));
  std::string text;
  codec::put_bytes(group.topic, text);
  codec::put_number(group.generation, ',', text);
  codec::put_number(group.committed.size(), ',', text);
  for (const auto& [partition, offset] : group.committed) {
    codec::put_signed(partition, ',', text);
    codec::put_signed(offset, ',', text);
  }
  ctx.disk().put(group_key(name), text);
  ctx.disk().sync();
}

std::vector<std::int64_t> GroupCoordinator::share_of(const Group& group, NodeId member) const {
  std::size_t index = 0;
  for (const auto& [id, unused] : group.members) {
    if (id == member) return assign_round_robin(config_.partitions, group.members.size(), index);
    ++index;
  }
  return {};
}

void GroupCoordinator::new_generation(Context& ctx, const std::string& name, Group& group,
                                      const std::string& why) {
  ++group.generation;
  std::string members;
  for (const auto& [id, unused] : group.members) {
    members += (members.empty() ? "" : " ") + client_name(id);
  }
  ctx.note("log: group " + name + " generation " + std::to_string(group.generation) + " (" +
           why + "), members [" + members + "]");
  persist(ctx, name, group);
}

void GroupCoordinator::on_join(Context& ctx, NodeId from, const GroupJoin& message) {
  GroupJoinReply reply;
  if (std::find(config_.topics.begin(), config_.topics.end(), message.topic) ==
      config_.topics.end()) {
    reply.status = answered_fail(message.op_id, "unknown topic");
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  if (message.offsets_only) {
    // The drain asks where the group stands, without joining it.
    const auto it = groups_.find(message.group);
    reply.status = ok_status(message.op_id);
    reply.generation = it == groups_.end() ? 0 : it->second.generation;
    for (std::uint32_t p = 0; p < config_.partitions; ++p) {
      reply.partitions.push_back(p);
      reply.committed.push_back(committed(message.group, p));
    }
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  Group& group = groups_[message.group];
  if (group.topic.empty()) group.topic = message.topic;
  if (group.topic != message.topic) {
    reply.status = answered_fail(message.op_id, "group consumes another topic");
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  const bool is_new = group.members.count(from) == 0;
  group.members[from].last_heard = ctx.now();
  if (is_new) {
    new_generation(ctx, message.group, group, client_name(from) + " joined");
  }
  reply.status = ok_status(message.op_id);
  reply.generation = group.generation;
  reply.partitions = share_of(group, from);
  for (const std::int64_t p : reply.partitions) {
    const auto it = group.committed.find(p);
    reply.committed.push_back(it == group.committed.end() ? -1 : it->second);
  }
  ctx.send(from, Message::of(std::move(reply)));
}

void GroupCoordinator::on_heartbeat(Context& ctx, NodeId from, const GroupHeartbeat& message) {
  GroupHeartbeatReply reply;
  const auto it = groups_.find(message.group);
  const bool member = it != groups_.end() && it->second.members.count(from) != 0;
  reply.generation = it == groups_.end() ? 0 : it->second.generation;
  if (member) it->second.members[from].last_heard = ctx.now();
  if (member && message.generation == it->second.generation) {
    reply.status = ok_status(message.op_id);
  } else {
    reply.status = answered_fail(message.op_id, "rebalance");
  }
  ctx.send(from, Message::of(std::move(reply)));
}

void GroupCoordinator::on_commit(Context& ctx, NodeId from, const OffsetCommit& message) {
  OffsetCommitReply reply;
  const auto it = groups_.find(message.group);
  const bool member = it != groups_.end() && it->second.members.count(from) != 0;
  bool current = member && message.generation == it->second.generation &&
                 message.topic == it->second.topic;
  if (current) {
    const std::vector<std::int64_t> share = share_of(it->second, from);
    current = std::find(share.begin(), share.end(), message.partition) != share.end();
  }
  if (member) it->second.members[from].last_heard = ctx.now();
  if (!current) {
    ctx.note("log: group " + message.group + " fences a commit of generation " +
             std::to_string(message.generation) + " for p" + std::to_string(message.partition));
    reply.status = answered_fail(message.op_id, "fenced");
  } else {
    it->second.committed[message.partition] = message.offset;
    persist(ctx, message.group, it->second);
    reply.status = ok_status(message.op_id);
  }
  ctx.send(from, Message::of(std::move(reply)));
}

void GroupCoordinator::expire_members(Context& ctx) {
  for (auto& [name, group] : groups_) {
    std::vector<NodeId> expired;
    for (const auto& [id, member] : group.members) {
      if (ctx.now() - member.last_heard > config_.group_session_timeout) expired.push_back(id);
    }
    if (expired.empty()) continue;
    for (const NodeId id : expired) group.members.erase(id);
    new_generation(ctx, name, group, std::to_string(expired.size()) + " member(s) timed out");
  }
}

std::uint64_t GroupCoordinator::generation(const std::string& group) const {
  const auto it = groups_.find(group);
  return it == groups_.end() ? 0 : it->second.generation;
}

std::int64_t GroupCoordinator::committed(const std::string& group, std::int64_t partition) const {
  const auto it = groups_.find(group);
  if (it == groups_.end()) return -1;
  const auto found = it->second.committed.find(partition);
  return found == it->second.committed.end() ? -1 : found->second;
}

}  // namespace capsim::log
