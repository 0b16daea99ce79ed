// Reading the names a scenario uses for its actors: nodes n1..nN (ids 0..N-1) and clients
// c1..cM (ids N..N+M-1), alone, in lists, or as fault targets (a node, a role, random, all).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/node.h"
#include "sim/scenario.h"
#include "sim/yaml_reader.h"

namespace capsim {

// How many nodes and clients the scenario has. A count that failed validation is nullopt:
// names are then checked for their form only, so one mistake is not reported again at every
// name that uses it.
struct ActorCounts {
  std::optional<std::uint32_t> nodes;
  std::optional<std::uint32_t> clients;
};

// The roles a fault may target, resolved when it fires.
const std::vector<std::string>& known_roles();

class ActorReader {
 public:
  ActorReader(YamlReader& reader, ActorCounts counts) : reader_(reader), counts_(counts) {}

  // A node name: "unknown node 'n7': the cluster has n1..n5", "'c1' is a client; expected a
  // node (n1..n5)".
  bool read_node(const YamlNode& node, NodeId& out);
  // A node name or a non-empty list of them (no node twice).
  bool read_nodes(const YamlNode& node, std::vector<NodeId>& out);
  // The number of nodes, or 0 when the count failed validation.
  std::uint32_t node_count() const { return counts_.nodes.value_or(0); }
  // One node or client name (clients get ids N..N+M-1).
  bool read_actor(const YamlNode& node, NodeId& out);
  // For link rules: a node or client name, a non-empty list of them, or '*' for any actor
  // (which leaves `out` empty).
  bool read_actors(const YamlNode& node, std::vector<NodeId>& out);
  // A fault target: a node name or one of `keywords` (a subset of leader, random, all).
  // `verb` names the fault for errors ("restart cannot target 'leader'").
  // With `clients_allowed` a client name (c1) is a target too (crash, restart, pause and
  // resume act on clients as on nodes).
  bool read_selector(const YamlNode& node, const std::vector<std::string>& keywords,
                     std::string_view verb, NodeSelector& out, bool clients_allowed = false);

 private:
  enum class NameKind { kNode, kClient, kNone };
  // Splits "n12" into (kNode, 12); kNone when the text is not an actor name.
  static NameKind split_name(const std::string& text, std::uint32_t& number);
  std::string node_range() const;

  YamlReader& reader_;
  ActorCounts counts_;
};

}  // namespace capsim
