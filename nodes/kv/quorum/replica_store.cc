#include "nodes/kv/quorum/replica_store.h"

#include <vector>

#include "nodes/kv/quorum/version_codec.h"

namespace capsim::quorum {

void ReplicaStore::load(const Disk& disk, std::size_t* unreadable) {
  slots_.clear();
  std::size_t bad = 0;
  std::vector<std::string> names;
  const std::optional<std::string> index = disk.get(prefix_ + "index");
  if (index && !decode_strings(*index, names)) ++bad;
  for (const std::string& name : names) {
    const std::optional<std::string> text = disk.get(prefix_ + "v/" + name);
    Versions versions;
    if (!text || !decode_versions(*text, versions)) {
      ++bad;
      continue;
    }
    slots_.emplace(name, std::move(versions));
  }
  if (unreadable != nullptr) *unreadable = bad;
}

const Versions* ReplicaStore::find(const std::string& slot) const {
  const auto it = slots_.find(slot);
  return it == slots_.end() ? nullptr : &it->second;
}

bool ReplicaStore::merge(Disk& disk, const std::string& slot, const Versions& incoming,
                         ConflictMode mode) {
  const auto it = slots_.find(slot);
  const bool is_new = it == slots_.end();
  static const Versions kNone;
  Versions merged = reconcile(is_new ? kNone : it->second, incoming, mode);
  if (!is_new && same_versions(merged, it->second)) return false;
  if (is_new && merged.empty()) return false;
  disk.put(prefix_ + "v/" + slot, encode_versions(merged));
  slots_.insert_or_assign(slot, std::move(merged));
  if (is_new) write_index(disk);
  return true;
}

void ReplicaStore::erase(Disk& disk, const std::string& slot) {
  if (slots_.erase(slot) == 0) return;
  disk.erase(prefix_ + "v/" + slot);
  write_index(disk);
}

void ReplicaStore::write_index(Disk& disk) const {
  std::vector<std::string> names;
  names.reserve(slots_.size());
  for (const auto& [name, versions] : slots_) names.push_back(name);
  disk.put(prefix_ + "index", encode_strings(names));
}

}  // namespace capsim::quorum
