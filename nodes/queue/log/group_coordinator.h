// The group coordinator: consumer group membership, partition assignment and committed offsets,
// kept by the controller node (n1), as Kafka keeps them on one broker per group.
//
// A consumer joins a group for a topic (GroupJoin). A join that changes the membership starts
// a new generation and assigns the topic's partitions round-robin over the members in id order
// (partition p to the (p mod m)-th member). A member already in the group that joins again gets
// the current generation and its share at once, without a new generation: so members that
// rejoin one after another after a rebalance settle on one generation instead of bumping it in
// turn. Members learn of a newer generation from their heartbeats (kFail answered "rebalance"
// carrying it) and join again. A member not heard from (join, heartbeat or commit) within
// group_session_timeout is dropped, which starts a new generation.
//
// A GroupJoin with offsets_only (the drain) joins nothing: it is answered with every partition
// of the topic and the group's committed offset of each.
//
// There is no join barrier (Kafka waits for every member to rejoin before it assigns): until a
// member learns of the new generation it may still fetch the partitions of its old share, which
// another member may now own, so both can process the same messages. Its commits are refused
// meanwhile: an OffsetCommit counts only from a current member, for the current generation, for
// a partition of its share; anything else is answered "fenced". That is the generation fencing
// of Kafka's CommitFailedException.
//
// Committed offsets and generation numbers are synced to the Disk on every change (Kafka keeps
// them in the replicated __consumer_offsets topic); memberships are not, so after a restart of
// n1 every member must join again (its heartbeats are answered "rebalance").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nodes/queue/log/options.h"
#include "nodes/queue/log/placement.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"

namespace capsim::log {

// The partitions (within the topic) of member `index` of `members` members, ascending.
std::vector<std::int64_t> assign_round_robin(std::uint32_t partitions, std::size_t members,
                                             std::size_t index);

class GroupCoordinator {
 public:
  explicit GroupCoordinator(const Config& config);

  // Reads the synced generations and committed offsets.
  void start(Context& ctx);
  void on_join(Context& ctx, NodeId from, const GroupJoin& message);
  void on_heartbeat(Context& ctx, NodeId from, const GroupHeartbeat& message);
  void on_commit(Context& ctx, NodeId from, const OffsetCommit& message);
  // Drops members whose session lapsed. Called periodically.
  void expire_members(Context& ctx);

  // The group's generation (0: never formed); the committed offset of a partition (-1: none).
  std::uint64_t generation(const std::string& group) const;
  std::int64_t committed(const std::string& group, std::int64_t partition) const;

 private:
  struct Member {
    Time last_heard{0};
  };
  struct Group {
    std::string topic;
    std::uint64_t generation = 0;
    std::map<NodeId, Member> members;        // by client id: the assignment order
    std::map<std::int64_t, std::int64_t> committed;  // partition -> next offset to read
  };

  void new_generation(Context& ctx, const std::string& name, Group& group, const std::string& why);
  std::vector<std::int64_t> share_of(const Group& group, NodeId member) const;
  void persist(Context& ctx, const std::string& name, const Group& group) const;
  std::string client_name(NodeId id) const;  // "c2" (clients follow the nodes)

  const Config& config_;
  std::map<std::string, Group> groups_;
};

}  // namespace capsim::log
