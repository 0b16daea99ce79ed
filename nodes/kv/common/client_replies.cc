#include "nodes/kv/common/client_replies.h"

#include <utility>

namespace capsim::kv {

ClientReply ok_reply(std::uint64_t op_id, Value value) {
  ClientReply reply;
  reply.op_id = op_id;
  reply.value = std::move(value);
  return reply;
}

ClientReply fail_reply(std::uint64_t op_id, std::string error, NodeId leader_hint) {
  ClientReply reply;
  reply.op_id = op_id;
  reply.outcome = ClientReply::Outcome::kFail;
  reply.error = std::move(error);
  reply.leader_hint = leader_hint;
  return reply;
}

ClientReply redirect_reply(std::uint64_t op_id, NodeId leader) {
  ClientReply reply;
  reply.op_id = op_id;
  reply.outcome = ClientReply::Outcome::kRedirect;
  reply.leader_hint = leader;
  return reply;
}

ClientReply effect_reply(std::uint64_t op_id, const Effect& effect) {
  return effect.ok ? ok_reply(op_id, effect.reply) : fail_reply(op_id, effect.error);
}

}  // namespace capsim::kv
