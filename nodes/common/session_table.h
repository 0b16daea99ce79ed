// The latest request each client had a node decide, so that a second copy of a request (the
// network duplicates messages) takes effect at most once, written once for every protocol: the
// dedup gate of the key-value stores (nodes/kv/common/client_sessions.h) and of the Raft core
// (nodes/common/raft/consensus.h) alike.
//
// A request is named by (client, op id). A client has one operation in flight and numbers its
// operations in increasing order, so one entry per client says everything: a request older than
// the client's latest is a copy the client no longer waits for, and a copy of the latest gets
// the latest's answer again, or nothing while that answer is still being decided.
//
// `Answer` is whatever the protocol answers with (a ClientReply, a raft::Result); the table
// only stores and returns it. What the table holds and when it is trusted is the protocol's
// choice: Raft and primary-backup rebuild it from their logs (so it is replicated and survives
// restarts with the log); crdt replicas store each client's entry on disk beside their state;
// quorum coordinators keep it in memory, so a copy that arrives after a crash of the
// coordinator that decided the original is taken as new.
//
// Bounds: one entry per client that ever sent an update, and clients are fixed by the scenario.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "sim/assert.h"
#include "sim/node.h"

namespace capsim {

// What a session table knows of a request.
enum class SessionSeen {
  kNew,       // later than anything the client sent before: decide it
  kPending,   // the client's latest request, taken on and not decided yet: ignore the copy
  kAnswered,  // the client's latest request, decided: answer the copy with answer_of()
  kStale,     // older than the client's latest: the client has moved on; ignore the copy
};

template <class Answer>
class SessionTable {
 public:
  using Seen = SessionSeen;

  Seen check(NodeId client, std::uint64_t op_id) const {
    const auto it = sessions_.find(client);
    if (it == sessions_.end() || op_id > it->second.op_id) return Seen::kNew;
    if (op_id < it->second.op_id) return Seen::kStale;
    return it->second.answer ? Seen::kAnswered : Seen::kPending;
  }

  // The gate for an update a client sends to the node that decides it. `decide`: the request is
  // new and is to be decided (with `take_on` it is marked pending at once, as begin() does).
  // Otherwise it is a copy: `resend` is the answer to send again (a copy of the latest request,
  // decided), or null when nothing is to be sent (still pending, or older than the latest).
  struct Admission {
    bool decide = false;
    const Answer* resend = nullptr;
  };
  Admission admit(NodeId client, std::uint64_t op_id, bool take_on) {
    switch (check(client, op_id)) {
      case Seen::kNew:
        if (take_on) begin(client, op_id);
        return {true, nullptr};
      case Seen::kAnswered: return {false, &answer_of(client)};
      case Seen::kPending:
      case Seen::kStale: break;
    }
    return {false, nullptr};
  }

  // The answer given to the client's latest request. Requires: check() said kAnswered.
  const Answer& answer_of(NodeId client) const {
    const auto it = sessions_.find(client);
    CAPSIM_ASSERT(it != sessions_.end() && it->second.answer.has_value());
    return *it->second.answer;
  }

  // The client's request `op_id` is taken on; its answer is still to come. An older request of
  // the client is forgotten; an older `op_id` than the latest changes nothing.
  void begin(NodeId client, std::uint64_t op_id) {
    Session& session = sessions_[client];
    if (op_id < session.op_id) return;
    session.op_id = op_id;
    session.answer.reset();
  }

  // The client's request `op_id` was decided with `answer`. An older op id than the latest
  // changes nothing.
  void record(NodeId client, std::uint64_t op_id, Answer answer) {
    Session& session = sessions_[client];
    if (op_id < session.op_id) return;
    session.op_id = op_id;
    session.answer = std::move(answer);
  }

  void clear() { sessions_.clear(); }
  std::size_t size() const { return sessions_.size(); }

 private:
  struct Session {
    std::uint64_t op_id = 0;
    std::optional<Answer> answer;  // nullopt while pending
  };
  std::map<NodeId, Session> sessions_;  // by client
};

}  // namespace capsim
