// The controller: the one node (n1) that decides who leads each partition and who is in its ISR.
//
// It keeps a session per broker, renewed by the broker's heartbeats. A broker not heard from
// for session_timeout is fenced: it leaves every ISR it was in (unless it is the last member,
// which Kafka keeps so that a clean election stays possible when it returns), and each
// partition it led gets a new leader: the first live ISR member in replica order; failing that,
// with unclean_leader_election, the first live replica at all (its log becomes the truth, and
// committed messages it lacks are gone); failing that, none (the partition is offline until an
// eligible replica returns). Every leadership change bumps the partition's leader epoch. A
// broker that heartbeats with a new incarnation (it restarted, and may have lost its unsynced
// log) is fenced and unfenced at once, so it rejoins as a follower that must catch up. A
// fenced broker that heartbeats again is unfenced, and leads any offline partition it is
// eligible for.
//
// Leaders change their ISR through AlterPartition, accepted only from the current leader for
// the current epochs; a replica is added only while unfenced.
//
// The controller's state is synced to its Disk on every change (Kafka keeps it in a replicated
// metadata log), and every change is pushed to every broker as a MetadataUpdate.
//
// A single point of failure: the controller is not replicated (Kafka's ZooKeeper or KRaft
// quorum is). While n1 is down or cut off, no leader is replaced and no ISR changes: a dead
// leader's partitions stay unavailable, a leader cannot shrink its ISR, so acks=all publishes
// wait. An n1 cut off from everyone fences every other broker after session_timeout and moves
// each partition to itself where it is an eligible replica; the cut-off leaders learn nothing
// and keep serving what they can (acks=1 publishes they will later lose) until the heal.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nodes/queue/log/messages.h"
#include "nodes/queue/log/options.h"
#include "nodes/queue/log/placement.h"
#include "sim/node.h"

namespace capsim::log {

inline constexpr NodeId kControllerNode = 0;  // n1

struct LeaderChoice {
  NodeId leader = kNoNode;  // kNoNode: nobody eligible
  bool unclean = false;     // chosen outside the ISR
};

// The election rule: the first live ISR member in replica order; else, if allowed, the first
// live replica; else nobody.
LeaderChoice choose_leader(const PartitionPlace& place, const PartitionState& state,
                           const std::set<NodeId>& live, bool unclean_allowed);

class Controller {
 public:
  // `apply_locally` hands every new state to the controller's own broker (n1 is a broker too),
  // which no message reaches.
  Controller(const Config& config, const std::vector<PartitionPlace>& places,
             std::function<void(Context&, const MetadataUpdate&)> apply_locally);

  // Loads the synced state, or elects every preferred leader on a first start. Every broker gets
  // a fresh session. Announces the state to all brokers.
  void start(Context& ctx, std::uint64_t own_incarnation);
  void on_broker_heartbeat(Context& ctx, NodeId from, const BrokerHeartbeat& message);
  void on_alter_partition(Context& ctx, NodeId from, const AlterPartition& message);
  // Fences every broker whose session lapsed. Called every heartbeat interval.
  void check_sessions(Context& ctx);

  const std::vector<PartitionState>& partitions() const { return partitions_; }
  bool is_fenced(NodeId broker) const;

 private:
  struct Session {
    Time last_heard{0};
    std::uint64_t incarnation = 0;  // 0: not heard since the controller started
    bool fenced = false;
  };

  void fence(Context& ctx, NodeId broker, const std::string& why);
  void unfence(Context& ctx, NodeId broker);
  // Gives partition g a new leader (or none) in a new epoch.
  void elect(Context& ctx, PartitionIndex g, const std::string& why);
  std::set<NodeId> live_brokers() const;
  void persist(Context& ctx) const;
  bool load(Context& ctx);
  // Sends the whole state to every other broker; the node applies it locally itself.
  void announce(Context& ctx);

  const Config& config_;
  const std::vector<PartitionPlace>& places_;
  std::function<void(Context&, const MetadataUpdate&)> apply_locally_;
  std::vector<PartitionState> partitions_;
  std::map<NodeId, Session> sessions_;  // every broker but the controller's own
};

}  // namespace capsim::log
