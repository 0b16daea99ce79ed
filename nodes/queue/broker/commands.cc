#include "nodes/queue/broker/commands.h"

#include "nodes/common/value_codec.h"

namespace capsim::broker {

// Layout: the kind letter, then `at;` and `queue`, then the kind's own fields:
//   P  value key          R  max; consumer; auto(0|1); channel;
//   D  (nothing)          A, N  requeue(0|1); channel; count: receipt;...
std::string encode_command(const Command& command) {
  std::string out(1, static_cast<char>(command.kind));
  codec::put_signed(command.at.count(), ';', out);
  codec::put_bytes(command.queue, out);
  switch (command.kind) {
    case CommandKind::kPublish:
      codec::put_value(command.message_id, out);
      codec::put_bytes(command.key, out);
      break;
    case CommandKind::kReceive:
      codec::put_number(command.max, ';', out);
      codec::put_number(command.consumer, ';', out);
      codec::put_number(command.auto_ack ? 1 : 0, ';', out);
      codec::put_number(command.channel, ';', out);
      break;
    case CommandKind::kDrain: break;
    case CommandKind::kAck:
    case CommandKind::kNack:
      codec::put_number(command.requeue ? 1 : 0, ';', out);
      codec::put_number(command.channel, ';', out);
      codec::put_number(command.receipts.size(), ':', out);
      for (const std::uint64_t receipt : command.receipts) codec::put_number(receipt, ';', out);
      break;
  }
  return out;
}

std::optional<Command> decode_command(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Command command;
  const char kind = text[0];
  if (kind != 'P' && kind != 'R' && kind != 'D' && kind != 'A' && kind != 'N') return std::nullopt;
  command.kind = static_cast<CommandKind>(kind);
  std::size_t pos = 1;
  std::int64_t at = 0;
  if (!codec::read_signed(text, pos, ';', at) || !codec::read_bytes(text, pos, command.queue)) {
    return std::nullopt;
  }
  command.at = Time{at};
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  std::uint64_t c = 0;
  switch (command.kind) {
    case CommandKind::kPublish:
      if (!codec::read_value(text, pos, command.message_id) || !codec::read_bytes(text, pos, command.key)) {
        return std::nullopt;
      }
      break;
    case CommandKind::kReceive:
      if (!codec::read_number(text, pos, ';', a) || !codec::read_number(text, pos, ';', b) ||
          !codec::read_number(text, pos, ';', c) || a > 0xffffffffu || b > 0xffffffffu || c > 1 ||
          !codec::read_number(text, pos, ';', command.channel)) {
        return std::nullopt;
      }
      command.max = static_cast<std::uint32_t>(a);
      command.consumer = static_cast<NodeId>(b);
      command.auto_ack = c == 1;
      break;
    case CommandKind::kDrain: break;
    case CommandKind::kAck:
    case CommandKind::kNack: {
      if (!codec::read_number(text, pos, ';', a) || a > 1 ||
          !codec::read_number(text, pos, ';', command.channel) ||
          !codec::read_count(text, pos, ':', b)) {
        return std::nullopt;
      }
      command.requeue = a == 1;
      for (std::uint64_t i = 0; i < b; ++i) {
        if (!codec::read_number(text, pos, ';', c)) return std::nullopt;
        command.receipts.push_back(c);
      }
      break;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return command;
}

}  // namespace capsim::broker
