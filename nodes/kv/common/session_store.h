// ClientSessions kept on a node's Disk as well as in memory, for protocols without a log to
// rebuild the table from (crdt replicas, quorum coordinators): a second copy of a request that
// arrives after the node restarted is then still answered, not applied again.
//
// Disk layout: "client/<id>" holds that client's latest decided answer (session_codec.h), and
// "clients" the list of the ids stored (nodes/common/value_codec.h strings). An answer is
// written when it is decided, and synced with the state it answers for: the two are lost
// together or kept together, so a restarted node neither applies a kept update twice nor
// refuses to redo a lost one.
#pragma once

#include <cstddef>
#include <set>

#include "nodes/kv/common/client_sessions.h"
#include "sim/disk.h"

namespace capsim::kv {

class SessionStore {
 public:
  ClientSessions& sessions() { return sessions_; }

  // Replaces the table with what `disk` holds; returns how many stored entries were unreadable
  // (skipped: copies of those clients' requests may be applied again).
  std::size_t load(const Disk& disk);
  // Records `answer` as `client`'s latest, in memory and on `disk`; syncs the disk if `sync`.
  void remember(Disk& disk, NodeId client, const ClientReply& answer, bool sync);

 private:
  ClientSessions sessions_;
  std::set<NodeId> listed_;  // the clients the list on disk names
};

}  // namespace capsim::kv
