#include "nodes/common/raft/entry.h"

#include <utility>

#include "nodes/common/value_codec.h"

namespace capsim::raft {

std::string Entry::describe(DescribeCommand describe_command) const {
  std::string text = std::to_string(index) + "@" + std::to_string(term);
  if (is_noop()) return text + " noop";
  if (describe_command == nullptr) {
    return text + " command of " + std::to_string(command.size()) + " bytes";
  }
  return text + " " + describe_command(command);
}

std::string encode_entry(const Entry& entry) {
  std::string out;
  codec::put_number(entry.term, ',', out);
  codec::put_number(entry.index, ',', out);
  codec::put_number(entry.client, ',', out);
  codec::put_number(entry.op_id, ',', out);
  out += entry.command;
  return out;
}

bool decode_entry(std::string_view text, Entry& out) {
  Entry entry;
  std::size_t pos = 0;
  std::uint64_t client = 0;
  if (!codec::read_number(text, pos, ',', entry.term) ||
      !codec::read_number(text, pos, ',', entry.index) ||
      !codec::read_number(text, pos, ',', client) ||
      !codec::read_number(text, pos, ',', entry.op_id)) {
    return false;
  }
  if (client > kNoNode) return false;
  entry.client = static_cast<NodeId>(client);
  entry.command = std::string(text.substr(pos));
  out = std::move(entry);
  return true;
}

}  // namespace capsim::raft
