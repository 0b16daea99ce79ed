#include "nodes/kv/common/client_replies.h"

#include <utility>

namespace capsim::kv {

ClientReply ok_reply(std::uint64_t op_id, Value value) {
  ClientReply reply;
  reply.op_id = op_id;
  reply.value = std::move(value);
  return reply;
}

namespace {

ClientReply fail_reply(std::uint64_t op_id, std::string error, bool answered, NodeId leader_hint) {
  ClientReply reply;
  reply.op_id = op_id;
  reply.outcome = ClientReply::Outcome::kFail;
  reply.error = std::move(error);
  reply.answered = answered;
  reply.leader_hint = leader_hint;
  return reply;
}

}  // namespace

ClientReply answered_fail_reply(std::uint64_t op_id, std::string error) {
  return fail_reply(op_id, std::move(error), /*answered=*/true, kNoNode);
}

ClientReply refused_reply(std::uint64_t op_id, std::string error, NodeId leader_hint) {
  return fail_reply(op_id, std::move(error), /*answered=*/false, leader_hint);
}

ClientReply redirect_reply(std::uint64_t op_id, NodeId leader) {
  ClientReply reply;
  reply.op_id = op_id;
  reply.outcome = ClientReply::Outcome::kRedirect;
  reply.leader_hint = leader;
  return reply;
}

ClientReply effect_reply(std::uint64_t op_id, const Effect& effect) {
  return effect.ok ? ok_reply(op_id, effect.reply) : answered_fail_reply(op_id, effect.error);
}

}  // namespace capsim::kv
