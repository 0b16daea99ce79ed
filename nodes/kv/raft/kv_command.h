// A key-value operation as a command of the Raft log: how the key-value store encodes a client
// request into the opaque bytes the Raft core replicates, and reads it back when it applies it.
//
// Entries record the operation, not its outcome: every replica evaluates the operation when
// the entry is applied, in log order, so a cas is decided against the state that the committed
// log defines and not against whatever the leader happened to hold when the request arrived.
//
// Encoding, in the fields of nodes/common/value_codec.h: the operation and the key as bytes,
// then the argument as a value ("5:write2:k1i7;" for write k1 7). Never empty, so never taken
// for the core's no-op.
#pragma once

#include <string>
#include <string_view>

#include "sim/value.h"

namespace capsim::raft {

struct KvCommand {
  std::string f;  // "read", "write", "cas", "add", "increment"
  std::string key;
  Value argument;  // the request's value
  friend bool operator==(const KvCommand&, const KvCommand&) = default;
};

std::string encode_kv_command(const KvCommand& command);
// Parses what encode_kv_command() wrote. Returns false unless `bytes` is exactly one command.
bool decode_kv_command(std::string_view bytes, KvCommand& out);
// "write k1 7", "read k2": how trace lines show an encoded command (raft::DescribeCommand).
std::string describe_kv_command(std::string_view bytes);

}  // namespace capsim::raft
