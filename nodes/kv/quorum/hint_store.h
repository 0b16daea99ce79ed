// Hints: versions a node holds as a fallback on behalf of a preferred replica it stood in for.
//
// With a sloppy quorum, a coordinator that finds a preferred replica unreachable writes to the
// next node on the ring instead and tells it whom the write was meant for. That node keeps the
// versions apart from its own data, as a hint for the intended replica, answers reads of the
// key with them as well, and hands them off (hinted handoff) when the intended replica answers
// again; once the intended replica confirms it holds them, the hint is dropped.
//
// Stored in a ReplicaStore under the prefix "hint/", one slot per (intended replica, key),
// named "<intended node id>/<key>".
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nodes/kv/quorum/replica_store.h"

namespace capsim::quorum {

class HintStore {
 public:
  void load(const Disk& disk, std::size_t* unreadable = nullptr) { table_.load(disk, unreadable); }

  // Reconciles `versions` into the hint for (intended, key); writes to disk unsynced.
  bool merge(Disk& disk, NodeId intended, const std::string& key, const Versions& versions,
             ConflictMode mode);
  // The hint for (intended, key); nullptr if none.
  const Versions* find(NodeId intended, const std::string& key) const;
  void erase(Disk& disk, NodeId intended, const std::string& key);

  // Every version held for `key`, for any intended replica, reconciled: what a read of the key
  // sees on this fallback.
  Versions versions_for_key(const std::string& key, ConflictMode mode) const;
  // The intended replicas that have hints waiting, in id order.
  std::set<NodeId> intended_nodes() const;
  // The hints for `intended`, by key, at most `limit` of them, in key order.
  std::map<std::string, Versions> hints_for(NodeId intended, std::size_t limit) const;
  std::size_t size() const { return table_.slots().size(); }
  bool empty() const { return table_.empty(); }

 private:
  static std::string slot(NodeId intended, const std::string& key);
  // Splits a slot name; false if it is not one.
  static bool parse_slot(const std::string& slot, NodeId& intended, std::string& key);

  ReplicaStore table_{"hint/"};
};

}  // namespace capsim::quorum
