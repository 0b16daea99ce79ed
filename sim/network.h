// The simulated network: directed links between every pair of actors (nodes and clients).
//
// Each message's fate is decided when it is sent: lost, or delivered after a latency drawn from
// its link's delay model (once, or twice when duplicated). A link delivers in send order unless
// the message draws `reorder`, which lets it skip ahead of or fall behind the others.
// Partitions cut links between nodes, and between a client and the nodes it cannot reach: each
// client of the workload runs next to a node (its home, WorkloadSpec::placement) and shares that
// node's side of a partition, unless a partition group names the client itself; two clients
// talk when they share a side. One-way cuts
// act on the node links they name only. A cut is checked when a message is sent and again when
// it would be delivered, so a partition also drops messages already in flight.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sim/node.h"
#include "sim/rng.h"
#include "sim/scenario.h"

namespace capsim {

class Network {
 public:
  // `rng` is the run's "net" stream.
  Network(const NetworkSpec& spec, std::uint32_t nodes, std::uint32_t actors, Rng rng);

  struct Fate {
    std::string_view drop_cause;  // empty: delivered
    int copies = 0;               // 1, or 2 when duplicated
    Time deliver_at[2]{};
  };
  // Decides what happens to a message of `kind` sent from `from` to `to` at `now`.
  Fate send(NodeId from, NodeId to, std::string_view kind, Time now);

  // Where the workload's clients run: client i (actor id nodes + i) next to node homes[i].
  // Other actors above the nodes (the final reader) are never cut off.
  void place_clients(std::vector<NodeId> homes) { client_homes_ = std::move(homes); }

  // True if messages from `from` to `to` are currently cut (by a partition or a one-way cut).
  bool is_cut(NodeId from, NodeId to) const {
    if (from < nodes_ && to < nodes_) {
      return !cuts_.empty() && cuts_.count(link_key(from, to)) != 0;
    }
    return partitioned_ && client_cut(from, to);
  }
  // Replaces every cut with the partition `groups` (actor ids: nodes, and clients that take a
  // side of their own): two actors talk if and only if some group holds both, where a client
  // not named stands where its home node stands.
  void partition(const std::vector<std::vector<NodeId>>& groups);
  // Cuts the node link from `from` to `to` (one way). Requires: both are nodes.
  void cut(NodeId from, NodeId to);
  // Tells the network a message sent on (from, to) left the link at `at` (delivered or dropped
  // there), so per-link FIFO bookkeeping can be forgotten once the link is empty.
  void left_link(NodeId from, NodeId to, Time at);
  void heal_all();
  // True if some link is cut: between nodes, between a client and a node, or between clients.
  bool has_cuts() const { return !cuts_.empty() || clients_cut_; }

  // The behaviour that applies to one message (defaults with the matching rules applied).
  LinkBehaviour behaviour(NodeId from, NodeId to, std::string_view kind, Time now) const;

 private:
  static std::uint64_t link_key(NodeId from, NodeId to) {
    return (static_cast<std::uint64_t>(from) << 32) | to;
  }
  static bool rule_matches(const LinkRule& rule, NodeId from, NodeId to, std::string_view kind,
                           Time now);
  Time fifo_delivery(NodeId from, NodeId to, Time at);
  // The partition's verdict on a link with a client at one end (or both).
  bool client_cut(NodeId from, NodeId to) const;
  // The groups (indices into the partition) a placed client stands in.
  const std::vector<std::uint32_t>& client_sides(std::uint32_t client) const;

  const NetworkSpec& spec_;
  std::uint32_t nodes_;
  Rng rng_;
  // Lookups only (never iterated), so hash order cannot reach the results.
  std::unordered_set<std::uint64_t> cuts_;
  std::vector<NodeId> client_homes_;
  // The current partition, for the links of clients: per node the sorted indices of the groups
  // holding it, and the same for each client a group names (client index -> groups).
  bool partitioned_ = false;
  bool clients_cut_ = false;  // some client cannot reach some node or some other client
  std::vector<std::vector<std::uint32_t>> node_sides_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> named_client_sides_;
  // Per link, the latest delivery time scheduled, for FIFO order. Small clusters use a dense
  // table; large ones a map holding only links with messages in flight, so an idle link costs
  // nothing (a dense table for 1,000 nodes would cost 8 KB per node).
  static constexpr std::uint32_t kDenseActorsMax = 128;
  std::uint32_t actors_;
  std::vector<Time> last_delivery_dense_;
  std::unordered_map<std::uint64_t, Time> last_delivery_;
};

}  // namespace capsim
