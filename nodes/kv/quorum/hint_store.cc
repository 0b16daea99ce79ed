#include "nodes/kv/quorum/hint_store.h"

#include <charconv>

namespace capsim::quorum {

std::string HintStore::slot(NodeId intended, const std::string& key) {
  return std::to_string(intended) + "/" + key;
}

bool HintStore::parse_slot(const std::string& slot, NodeId& intended, std::string& key) {
  const std::size_t slash = slot.find('/');
  if (slash == std::string::npos) return false;
  const auto [end, error] = std::from_chars(slot.data(), slot.data() + slash, intended);
  if (error != std::errc() || end != slot.data() + slash) return false;
  key = slot.substr(slash + 1);
  return true;
}

bool HintStore::merge(Disk& disk, NodeId intended, const std::string& key,
                      const Versions& versions, ConflictMode mode) {
  return table_.merge(disk, slot(intended, key), versions, mode);
}

const Versions* HintStore::find(NodeId intended, const std::string& key) const {
  return table_.find(slot(intended, key));
}

void HintStore::erase(Disk& disk, NodeId intended, const std::string& key) {
  table_.erase(disk, slot(intended, key));
}

Versions HintStore::versions_for_key(const std::string& key, ConflictMode mode) const {
  Versions result;
  for (const auto& [name, versions] : table_.slots()) {
    NodeId intended = kNoNode;
    std::string hinted_key;
    if (parse_slot(name, intended, hinted_key) && hinted_key == key) {
      result = reconcile(result, versions, mode);
    }
  }
  return result;
}

std::set<NodeId> HintStore::intended_nodes() const {
  std::set<NodeId> nodes;
  for (const auto& [name, versions] : table_.slots()) {
    NodeId intended = kNoNode;
    std::string key;
    if (parse_slot(name, intended, key)) nodes.insert(intended);
  }
  return nodes;
}

std::map<std::string, Versions> HintStore::hints_for(NodeId intended, std::size_t limit) const {
  std::map<std::string, Versions> result;
  for (const auto& [name, versions] : table_.slots()) {
    if (result.size() >= limit) break;
    NodeId node = kNoNode;
    std::string key;
    if (parse_slot(name, node, key) && node == intended) result.emplace(key, versions);
  }
  return result;
}

}  // namespace capsim::quorum
