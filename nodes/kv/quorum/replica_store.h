// A replica's stored versions, by key, kept on its Disk.
//
// The same table serves the keys a node holds as a replica ("data/") and the hints it holds as a
// fallback for others ("hint/", see hint_store.h). Disk layout under a prefix P:
//   P + "index"       every slot name, encoded with encode_strings (the Disk cannot list keys)
//   P + "v/" + slot   the slot's versions, encoded with encode_versions
// Changes go to the Disk with put(); the caller syncs before acknowledging anything, so an
// acknowledged version survives a crash.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "nodes/kv/quorum/versions.h"
#include "sim/disk.h"

namespace capsim::quorum {

class ReplicaStore {
 public:
  explicit ReplicaStore(std::string prefix) : prefix_(std::move(prefix)) {}

  // Reads what earlier calls left on `disk`. A slot whose versions cannot be decoded (cut short
  // by a crash before a sync) is skipped and counted in `unreadable`, if given.
  void load(const Disk& disk, std::size_t* unreadable = nullptr);

  // The versions of `slot`; nullptr if none.
  const Versions* find(const std::string& slot) const;
  // Reconciles `incoming` into the slot and writes the result to `disk` (unsynced) if it
  // changed. Returns true if it changed.
  bool merge(Disk& disk, const std::string& slot, const Versions& incoming, ConflictMode mode);
  // Removes the slot, on disk too (unsynced). Does nothing if absent.
  void erase(Disk& disk, const std::string& slot);

  const std::map<std::string, Versions>& slots() const { return slots_; }
  bool empty() const { return slots_.empty(); }

 private:
  void write_index(Disk& disk) const;

  std::string prefix_;
  std::map<std::string, Versions> slots_;
};

}  // namespace capsim::quorum
