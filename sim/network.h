// The simulated network: directed links between every pair of actors (nodes and clients).
//
// Each message's fate is decided when it is sent: lost, or delivered after a latency drawn from
// its link's delay model (once, or twice when duplicated). A link delivers in send order unless
// the message draws `reorder`, which lets it skip ahead of or fall behind the others.
// Partitions cut links between nodes (clients are never cut off: they stand for processes next
// to the node they talk to). A cut is checked when a message is sent and again when it would be
// delivered, so a partition also drops messages already in flight.
#pragma once

#include <cstdint>
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

  // True if messages from `from` to `to` are currently cut.
  bool is_cut(NodeId from, NodeId to) const {
    return !cuts_.empty() && cuts_.count(link_key(from, to)) != 0;
  }
  void cut(NodeId from, NodeId to);
  // Tells the network a message sent on (from, to) left the link at `at` (delivered or dropped
  // there), so per-link FIFO bookkeeping can be forgotten once the link is empty.
  void left_link(NodeId from, NodeId to, Time at);
  void heal_all() { cuts_.clear(); }
  bool has_cuts() const { return !cuts_.empty(); }

  // The behaviour that applies to one message (defaults with the matching rules applied).
  LinkBehaviour behaviour(NodeId from, NodeId to, std::string_view kind, Time now) const;

 private:
  static std::uint64_t link_key(NodeId from, NodeId to) {
    return (static_cast<std::uint64_t>(from) << 32) | to;
  }
  static bool rule_matches(const LinkRule& rule, NodeId from, NodeId to, std::string_view kind,
                           Time now);
  Time fifo_delivery(NodeId from, NodeId to, Time at);

  const NetworkSpec& spec_;
  std::uint32_t nodes_;
  Rng rng_;
  // Lookups only (never iterated), so hash order cannot reach the results.
  std::unordered_set<std::uint64_t> cuts_;
  // Per link, the latest delivery time scheduled, for FIFO order. Small clusters use a dense
  // table; large ones a map holding only links with messages in flight, so an idle link costs
  // nothing (a dense table for 1,000 nodes would cost 8 KB per node).
  static constexpr std::uint32_t kDenseActorsMax = 128;
  std::uint32_t actors_;
  std::vector<Time> last_delivery_dense_;
  std::unordered_map<std::uint64_t, Time> last_delivery_;
};

}  // namespace capsim
