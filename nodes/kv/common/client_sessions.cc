#include "nodes/kv/common/client_sessions.h"

#include <utility>

#include "sim/assert.h"

namespace capsim::kv {

ClientSessions::Seen ClientSessions::check(NodeId client, std::uint64_t op_id) const {
  const auto it = sessions_.find(client);
  if (it == sessions_.end() || op_id > it->second.op_id) return Seen::kNew;
  if (op_id < it->second.op_id) return Seen::kStale;
  return it->second.answer ? Seen::kAnswered : Seen::kPending;
}

ClientSessions::Admission ClientSessions::admit(NodeId client, std::uint64_t op_id,
                                                bool take_on) {
  switch (check(client, op_id)) {
    case Seen::kNew:
      if (take_on) begin(client, op_id);
      return {true, nullptr};
    case Seen::kAnswered:
      return {false, &answer_of(client)};
    case Seen::kPending:
    case Seen::kStale:
      break;
  }
  return {false, nullptr};
}

const ClientReply& ClientSessions::answer_of(NodeId client) const {
  const auto it = sessions_.find(client);
  CAPSIM_ASSERT(it != sessions_.end() && it->second.answer.has_value());
  return *it->second.answer;
}

void ClientSessions::begin(NodeId client, std::uint64_t op_id) {
  Session& session = sessions_[client];
  if (op_id < session.op_id) return;
  session.op_id = op_id;
  session.answer.reset();
}

void ClientSessions::record(NodeId client, ClientReply answer) {
  Session& session = sessions_[client];
  if (answer.op_id < session.op_id) return;
  session.op_id = answer.op_id;
  session.answer = std::move(answer);
}

}  // namespace capsim::kv
