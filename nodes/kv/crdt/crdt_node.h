// A key-value store replicated with state-based CRDTs (conflict-free replicated data types):
// every replica answers every client on its own, and replicas converge by gossiping state.
//
// How it works
//   Each key holds one CRDT, chosen by the first update that touches it:
//     increment d  a counter: a PN-counter (any sign) or, with counter=g, a G-counter (a
//                  negative d then fails). Each replica counts its own increments in its own
//                  entry; the value is the sum over replicas.
//     add e        an OR-set: each add is tagged with a dot no other add has (the replica's id
//                  and a per-replica sequence number), and a read lists the elements that still
//                  hold an unretired tag, sorted, each once. `remove e` is supported too (it
//                  retires the tags this replica has seen), although no workload issues it.
//     write v      an LWW-register: the write is stamped with the replica's clock ctx.now()
//                  (skew included), the replica's id breaking ties, and the higher stamp wins.
//   A key keeps the type of its first update; an update of another kind fails with a reason
//   ("add on k1, whose type is pn-counter ..."). A read does not fix a type: it returns nil for
//   a key nobody updated, else the counter's integer, the set's sorted list, the register's
//   value, exactly what the shared kv operations return (nodes/kv/common/kv_operations.h).
//   `cas` always fails: deciding "only if the value is still x" needs agreement between
//   replicas, and this protocol never waits for another replica.
//
//   An update is applied to the local state, written to the Disk and synced (sync_disk=true),
//   and only then acknowledged, so a crash and restart never lose an acknowledged update. The
//   cost is one disk sync per update, on the client's critical path: free in the simulator,
//   typically a fraction of a millisecond to several milliseconds on real disks, which is why
//   real systems batch syncs or rely on other replicas instead.
//
//   A replica keeps each client's latest update and its answer (session_store.h): a second
//   copy of a request the network duplicated is answered again and changes nothing, where it
//   would otherwise count an increment twice. The table is stored on disk with the update it
//   answers, so a copy that arrives after the replica restarted is still answered, not applied.
//
//   Every gossip_interval each replica sends its whole state to `fanout` peers drawn at random
//   (ctx.rng()). The receiver merges it key by key; the merge of each CRDT is commutative,
//   associative and idempotent, so the order, duplication or loss of gossip messages does not
//   matter: lost rounds are made up by later ones. A replica that is down or cut off simply
//   misses rounds. Merged state is not written on its own: it goes to the Disk with the next
//   update's sync, and a crash before that loses it, for gossip to bring back. Gossip
//   sends full state rather than deltas: simple and robust, at a cost in bytes that grows with
//   the state.
//
//   Dots and stamps must never repeat, even after a crash that loses unsynced state: their
//   sequence numbers are (boot count << 32) + n, where the boot count is synced at every start.
//
// What it guarantees, and what it does not (the checkers show both)
//   - Available: every replica that a client reaches answers at once, on every side of any
//     partition; nothing waits for another replica.
//   - Strong eventual consistency: replicas that have received the same updates hold the same
//     values, and after a partition heals gossip delivers every update everywhere, so the
//     final state_digest()s agree (convergence).
//   - Counters lose no acknowledged increment and OR-sets no acknowledged add, whatever the
//     partitions, crashes (with sync_disk) or clock skew.
//   - Not linearizable, not even read-your-writes across replicas: a read at one replica may
//     miss what another acknowledged a moment ago.
//   - LWW-registers lose writes: of concurrent writes only the highest stamp survives, and the
//     stamp comes from skewable clocks, so a replica whose clock runs behind can have every
//     acknowledged write silently overwritten by older writes from a replica running ahead.
//   - With sync_disk=false a crash loses acknowledged updates that no peer received, and a
//     restarted replica may recount increments its peers already hold, so some go missing.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/kv/common/session_store.h"
#include "nodes/kv/crdt/messages.h"
#include "nodes/kv/crdt/options.h"
#include "nodes/kv/crdt/replica_state.h"
#include "sim/client/kv_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"
#include "sim/value.h"

namespace capsim::crdt {

// Timer names.
inline constexpr std::string_view kGossipTimer = "gossip";

// Updates one boot may make before its sequence numbers would reach the next boot's.
constexpr std::uint64_t kSequencesPerBoot = std::uint64_t{1} << 32;

class CrdtNode final : public Node {
 public:
  CrdtNode(NodeId self, Config config);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  // The observable value of every key, in key order: "k1=5;k2=[1 3]" ("" when empty).
  std::string state_digest() const override { return state_.digest(); }

  const ReplicaState& state() const { return state_; }
  // What a read of `key` returns here.
  Value value_of(const std::string& key) const { return state_.read(key); }

 private:
  // Clients (crdt_node.cc).
  void on_client_request(Context& ctx, NodeId from, const ClientRequest& request);
  // Applies an update (increment, add, remove, write), persists it and returns the reply.
  ClientReply update(Context& ctx, const ClientRequest& request);
  // A sequence number for a dot or stamp, never used before by this replica (any boot).
  std::uint64_t next_sequence();

  // Gossip (gossip.cc).
  void on_gossip_timer(Context& ctx);
  void on_gossip(Context& ctx, NodeId from, const Gossip& message);
  // `fanout` distinct peers, drawn with ctx.rng().
  std::vector<NodeId> choose_peers(Context& ctx) const;

  // Disk (persistence.cc).
  void load(Context& ctx);
  // Writes unsaved_keys_ (and the key list, if it lacks one of them); syncs if `sync`.
  void persist(Context& ctx, bool sync);
  // Records the answer to a client's update in sessions_ and on disk (synced as the update was),
  // so that a copy of the request arriving after a restart is still answered, not applied.
  void remember_answer(Context& ctx, NodeId client, const ClientReply& answer);

  NodeId self_;
  Config config_;
  ReplicaState state_;
  kv::SessionStore sessions_;  // each client's latest update and its answer, also on disk
  std::set<std::string> listed_keys_;  // the keys the key list on disk names
  std::set<std::string> unsaved_keys_;  // changed since they were last written to disk
  std::uint64_t boot_ = 0;        // this incarnation's boot count (1 on the first start)
  std::uint64_t updates_this_boot_ = 0;
  // The state as last sent by gossip; reset whenever state_ changes, so an unchanged state is
  // copied once however many rounds send it.
  std::shared_ptr<const ReplicaState> snapshot_;
};

// The registry entry: name "crdt", options, validation and factory.
ProtocolInfo protocol_info();

}  // namespace capsim::crdt
