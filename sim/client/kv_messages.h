// The messages between clients and any key-value protocol: the contract every kv node meets.
//
// A client sends ClientRequest; the node answers with ClientReply carrying the same op_id:
//   kOk        the operation took effect (value: what a read returned; nil if absent)
//   kFail      it certainly did not take effect (cas mismatch, not the primary, no quorum...)
//   kRedirect  this node cannot serve it; `leader_hint` names the node that might
// A kFail is one of two things, and `answered` says which:
//   answered   a definite answer about the operation itself: the node was able to serve it,
//              judged it, and the answer is no (cas mismatch, an operation the protocol does
//              not support, an argument of the wrong type). The system responded, so the
//              operation counts as available (Gilbert and Lynch).
//   refused    the node declines to serve it now (no leader known, no quorum reached, not the
//              primary, overloaded): a refusal of service, which counts as unavailable.
// A reply that does not say defaults to refused, so a node that forgets errs on the side of
// unavailability.
// A node that cannot tell whether an operation took effect should not answer at all, or answer
// kFail only when it is sure; the client's timeout turns silence into an `info`.
#pragma once

#include <cstdint>
#include <string>

#include "sim/node.h"
#include "sim/value.h"

namespace capsim {

struct ClientRequest {
  static constexpr std::string_view kKind = "client.request";
  std::uint64_t op_id = 0;
  std::string f;    // "read", "write", "cas", "add", "increment"
  std::string key;  // "k1"
  Value value;      // write: the value; cas: [expected new]; add: e; increment: d; read: nil
  std::string describe() const;
};

struct ClientReply {
  static constexpr std::string_view kKind = "client.reply";
  enum class Outcome { kOk, kFail, kRedirect };
  std::uint64_t op_id = 0;
  Outcome outcome = Outcome::kOk;
  Value value;                 // kOk read: the value read
  NodeId leader_hint = kNoNode;  // kRedirect (and optionally kFail): who to ask instead
  std::string error;           // kFail: why, in a few words
  bool answered = false;       // kFail: a definite answer, not a refusal (see above)
  std::string describe() const;
};

}  // namespace capsim
