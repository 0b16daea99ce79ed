// The dedup gate of the key-value protocols: each client's latest request and the ClientReply
// it got, so that a second copy of a request (the network duplicates messages) takes effect at
// most once. The table itself is shared with every protocol (nodes/common/session_table.h);
// this names the key-value stores' version of it, whose answers carry their own op id.
//
// Raft keeps its table in the Raft core, rebuilt from the log; primary-backup rebuilds this one
// from its log; crdt replicas store each client's entry on disk beside their state
// (session_codec.h, session_store.h); quorum coordinators keep it in memory.
#pragma once

#include <cstdint>
#include <utility>

#include "nodes/common/session_table.h"
#include "sim/client/kv_messages.h"
#include "sim/node.h"

namespace capsim::kv {

class ClientSessions : public SessionTable<ClientReply> {
 public:
  using SessionTable<ClientReply>::record;
  // The client's request `answer.op_id` was decided with `answer`. An older op id than the
  // latest changes nothing.
  void record(NodeId client, ClientReply answer) {
    const std::uint64_t op_id = answer.op_id;
    record(client, op_id, std::move(answer));
  }
};

}  // namespace capsim::kv
