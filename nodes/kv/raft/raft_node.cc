#include "nodes/kv/raft/raft_node.h"

#include <utility>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/raft/kv_command.h"
#include "sim/assert.h"

namespace capsim::raft {

RaftNode::RaftNode(NodeId self, Config config)
    : read_mode_(config.read), raft_(self, std::move(config), machine_, *this) {}

void RaftNode::on_start(Context& ctx) { raft_.on_start(ctx); }

void RaftNode::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* m = message.as<ClientRequest>()) return on_client_request(ctx, from, *m);
  if (raft_.on_message(ctx, from, message)) return;
  ctx.note("raft: ignored a message of kind " + std::string(message.kind()));
}

void RaftNode::on_timer(Context& ctx, std::string_view name) {
  if (raft_.on_timer(ctx, name)) return;
  ctx.note("raft: ignored unknown timer " + std::string(name));
}

void RaftNode::on_client_request(Context& ctx, NodeId from, const ClientRequest& request) {
  if (!raft_.is_leader()) {
    if (raft_.leader() == kNoNode || raft_.leader() == ctx.self()) {
      return reply(ctx, from, kv::refused_reply(request.op_id, "no leader known"));
    }
    return reply(ctx, from, kv::redirect_reply(request.op_id, raft_.leader()));
  }
  // A request no replica could serve gets a definite no; only the leader's own limits refuse.
  if (request.key.empty()) {
    return reply(ctx, from, kv::answered_fail_reply(request.op_id, "empty key"));
  }
  if (!kv::is_known_operation(request.f)) {
    return reply(ctx, from,
                 kv::answered_fail_reply(request.op_id, "unknown operation '" + request.f + "'"));
  }
  if (raft_.waiting() >= kMaxPending) {
    return reply(ctx, from, kv::refused_reply(request.op_id, "overloaded"));
  }
  if (kv::is_read_only(request.f) && read_mode_ != ReadMode::kLog) {
    return serve_read(ctx, from, request);
  }
  raft_.submit(ctx, from, request.op_id,
               encode_kv_command({request.f, request.key, request.value}));
}

void RaftNode::on_applied(Context& ctx, const Entry& entry, const Result& result) {
  // The same answer for the request and for any copy of it: built from the result alone.
  reply(ctx, entry.client,
        result.ok ? kv::ok_reply(entry.op_id, result.value)
                  : kv::answered_fail_reply(entry.op_id, result.error));
}

void RaftNode::reply(Context& ctx, NodeId to, ClientReply reply) const {
  ctx.send(to, Message::of(std::move(reply)));
}

}  // namespace capsim::raft
