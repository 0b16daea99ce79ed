// The replies a kv node sends its clients (ClientReply of sim/client/kv_messages.h), built the
// same way by every kv protocol so that an outcome always carries the fields its meaning needs
// and nothing else.
#pragma once

#include <cstdint>
#include <string>

#include "nodes/kv/common/kv_operations.h"
#include "sim/client/kv_messages.h"
#include "sim/node.h"
#include "sim/value.h"

namespace capsim::kv {

// The operation took effect; `value` is what a read returned (nil for writes and absent keys).
ClientReply ok_reply(std::uint64_t op_id, Value value = Value());
// The operation certainly did not take effect; `leader_hint` may name a node worth asking.
ClientReply fail_reply(std::uint64_t op_id, std::string error, NodeId leader_hint = kNoNode);
// This node cannot serve the operation; `leader` might.
ClientReply redirect_reply(std::uint64_t op_id, NodeId leader);
// What evaluating the operation (kv_operations.h) answers: ok with its reply, or its error.
ClientReply effect_reply(std::uint64_t op_id, const Effect& effect);

}  // namespace capsim::kv
