#include "nodes/kv/raft/kv_command.h"

#include <utility>

#include "nodes/common/value_codec.h"

namespace capsim::raft {

std::string encode_kv_command(const KvCommand& command) {
  std::string out;
  codec::put_bytes(command.f, out);
  codec::put_bytes(command.key, out);
  codec::put_value(command.argument, out);
  return out;
}

bool decode_kv_command(std::string_view bytes, KvCommand& out) {
  KvCommand command;
  std::size_t pos = 0;
  if (!codec::read_bytes(bytes, pos, command.f) || !codec::read_bytes(bytes, pos, command.key)) {
    return false;
  }
  if (!codec::read_value(bytes, pos, command.argument) || pos != bytes.size()) return false;
  out = std::move(command);
  return true;
}

std::string describe_kv_command(std::string_view bytes) {
  KvCommand command;
  if (!decode_kv_command(bytes, command)) return "unreadable command";
  std::string text = command.f + " " + command.key;
  if (!command.argument.is_nil()) text += " " + command.argument.to_text();
  return text;
}

}  // namespace capsim::raft
