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
// The two kinds of fail (kv_messages.h): every fail a node sends is built by one of these, so
// that each says which it is.
//
// The operation certainly did not take effect, and that is the answer: the node judged the
// operation itself and says no (cas mismatch, unknown or unsupported operation, empty key, an
// argument of the wrong type). Availability counts it as a response.
ClientReply answered_fail_reply(std::uint64_t op_id, std::string error);
// The operation certainly did not take effect because this node declines to serve it now (no
// leader or primary known, no quorum reached, leadership lost, overloaded); `leader_hint` may
// name a node worth asking. Availability counts it against the system.
ClientReply refused_reply(std::uint64_t op_id, std::string error, NodeId leader_hint = kNoNode);
// This node cannot serve the operation; `leader` might.
ClientReply redirect_reply(std::uint64_t op_id, NodeId leader);
// What evaluating the operation (kv_operations.h) answers: ok with its reply, or its error as
// an answered fail (an Effect that is not ok judged the operation against the key's value).
ClientReply effect_reply(std::uint64_t op_id, const Effect& effect);

}  // namespace capsim::kv
