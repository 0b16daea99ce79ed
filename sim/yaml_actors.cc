#include "sim/yaml_actors.h"

#include <algorithm>

namespace capsim {

const std::vector<std::string>& known_roles() {
  static const std::vector<std::string> roles = {"leader"};
  return roles;
}

ActorReader::NameKind ActorReader::split_name(const std::string& text, std::uint32_t& number) {
  // At most 9 digits keeps the number inside 32 bits; no leading zero, so each actor has
  // exactly one spelling.
  if (text.size() < 2 || text.size() > 10 || (text[0] != 'n' && text[0] != 'c')) {
    return NameKind::kNone;
  }
  if (text[1] == '0') return NameKind::kNone;
  number = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return NameKind::kNone;
    number = number * 10 + static_cast<std::uint32_t>(text[i] - '0');
  }
  return text[0] == 'n' ? NameKind::kNode : NameKind::kClient;
}

std::string ActorReader::node_range() const {
  if (!counts_.nodes) return "";
  if (*counts_.nodes == 1) return "n1";
  return "n1..n" + std::to_string(*counts_.nodes);
}

bool ActorReader::read_node(const YamlNode& node, NodeId& out) {
  constexpr std::string_view kNoun = "a node name such as n1";
  std::string text;
  if (!reader_.read_scalar(node, kNoun, text)) return false;
  std::uint32_t number = 0;
  const NameKind kind = split_name(text, number);
  const std::string range = node_range();
  if (kind == NameKind::kClient) {
    reader_.error(node.pos, "'" + text + "' is a client; expected a node" +
                                (range.empty() ? "" : " (" + range + ")"));
    return false;
  }
  if (kind == NameKind::kNone) {
    reader_.error(node.pos, "expected " + std::string(kNoun) + ", got " + describe_yaml(node));
    return false;
  }
  if (counts_.nodes && number > *counts_.nodes) {
    reader_.error(node.pos, "unknown node '" + text + "': the cluster has " + range);
    return false;
  }
  out = number - 1;
  return true;
}

bool ActorReader::read_actor(const YamlNode& node, NodeId& out) {
  constexpr std::string_view kNoun = "a node or client name such as n1 or c1";
  std::string text;
  if (!reader_.read_scalar(node, kNoun, text)) return false;
  std::uint32_t number = 0;
  const NameKind kind = split_name(text, number);
  if (kind == NameKind::kNode) return read_node(node, out);
  if (kind == NameKind::kNone) {
    reader_.error(node.pos, "expected " + std::string(kNoun) + ", got " + describe_yaml(node));
    return false;
  }
  if (counts_.clients && number > *counts_.clients) {
    const std::uint32_t clients = *counts_.clients;
    const std::string has = clients == 0   ? "no clients"
                            : clients == 1 ? "c1"
                                           : "c1..c" + std::to_string(clients);
    reader_.error(node.pos, "unknown client '" + text + "': the workload has " + has);
    return false;
  }
  out = counts_.nodes.value_or(0) + number - 1;
  return true;
}

bool ActorReader::read_nodes(const YamlNode& node, std::vector<NodeId>& out) {
  if (!node.is_list()) {
    NodeId id = 0;
    if (!read_node(node, id)) return false;
    out = {id};
    return true;
  }
  if (node.items.empty()) {
    reader_.error(node.pos, "expected at least one node name");
    return false;
  }
  bool ok = true;
  std::vector<NodeId> ids;
  for (const auto& item : node.items) {
    NodeId id = 0;
    if (!read_node(item, id)) {
      ok = false;
    } else if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      reader_.error(item.pos, "node '" + item.text + "' is listed twice");
      ok = false;
    } else {
      ids.push_back(id);
    }
  }
  if (ok) out = std::move(ids);
  return ok;
}

bool ActorReader::read_actors(const YamlNode& node, std::vector<NodeId>& out) {
  if (node.is_scalar() && node.text == "*") {
    out.clear();
    return true;
  }
  if (!node.is_list()) {
    NodeId id = 0;
    if (!read_actor(node, id)) return false;
    out = {id};
    return true;
  }
  if (node.items.empty()) {
    reader_.error(node.pos, "expected at least one name (or '*' for any)");
    return false;
  }
  bool ok = true;
  std::vector<NodeId> ids;
  for (const auto& item : node.items) {
    NodeId id = 0;
    if (item.is_scalar() && item.text == "*") {
      reader_.error(item.pos, "'*' means any sender or receiver and cannot be part of a list");
      ok = false;
    } else if (!read_actor(item, id)) {
      ok = false;
    } else if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      ids.push_back(id);
    }
  }
  if (ok) out = std::move(ids);
  return ok;
}

bool ActorReader::read_selector(const YamlNode& node, const std::vector<std::string>& keywords,
                                std::string_view verb, NodeSelector& out,
                                bool clients_allowed) {
  std::string expected = std::string(clients_allowed ? "a node or client name such as n1 or c1"
                                                     : "a node name such as n1") +
                         ", or one of: " + list_choices(keywords);
  std::string text;
  if (!reader_.read_scalar(node, expected, text)) return false;
  const bool allowed = std::find(keywords.begin(), keywords.end(), text) != keywords.end();
  const bool is_role =
      std::find(known_roles().begin(), known_roles().end(), text) != known_roles().end();
  if (allowed && is_role) {
    out = NodeSelector{NodeSelector::Kind::kRole, 0, text};
    return true;
  }
  if (allowed && (text == "random" || text == "all")) {
    out = NodeSelector{text == "all" ? NodeSelector::Kind::kAll : NodeSelector::Kind::kRandom,
                       0, {}};
    return true;
  }
  std::uint32_t number = 0;
  if (const NameKind kind = split_name(text, number); kind != NameKind::kNone) {
    NodeId id = 0;
    const bool read = clients_allowed && kind == NameKind::kClient ? read_actor(node, id)
                                                                   : read_node(node, id);
    if (!read) return false;
    out = NodeSelector{NodeSelector::Kind::kNode, id, {}};
    return true;
  }
  if (is_role || text == "random" || text == "all") {
    reader_.error(node.pos, std::string(verb) + " cannot target '" + text + "' (expected " +
                                expected + ")");
    return false;
  }
  const std::string hint = closest_match(text, keywords);
  reader_.error(node.pos, "unknown target '" + text + "' (" +
                              (hint.empty() ? "expected " + expected
                                            : "did you mean '" + hint + "'?") +
                              ")");
  return false;
}

}  // namespace capsim
