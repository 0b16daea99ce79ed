#include "nodes/kv/common/session_codec.h"

#include "nodes/common/value_codec.h"

namespace capsim::kv {

std::string encode_session_answer(const ClientReply& answer) {
  std::string out;
  codec::put_number(answer.op_id, ';', out);
  switch (answer.outcome) {
    case ClientReply::Outcome::kOk: out += 'o'; break;
    case ClientReply::Outcome::kFail:
      out += 'f';
      out += answer.answered ? '1' : '0';
      break;
    case ClientReply::Outcome::kRedirect: out += 'r'; break;
  }
  codec::put_value(answer.value, out);
  codec::put_bytes(answer.error, out);
  codec::put_number(answer.leader_hint == kNoNode ? 0 : std::uint64_t{answer.leader_hint} + 1, ';',
                    out);
  return out;
}

bool decode_session_answer(std::string_view text, ClientReply& out) {
  std::size_t pos = 0;
  ClientReply answer;
  if (!codec::read_number(text, pos, ';', answer.op_id) || pos >= text.size()) return false;
  switch (text[pos++]) {
    case 'o': answer.outcome = ClientReply::Outcome::kOk; break;
    case 'f':
      answer.outcome = ClientReply::Outcome::kFail;
      if (pos >= text.size() || (text[pos] != '0' && text[pos] != '1')) return false;
      answer.answered = text[pos++] == '1';
      break;
    case 'r': answer.outcome = ClientReply::Outcome::kRedirect; break;
    default: return false;
  }
  std::uint64_t hint = 0;
  if (!codec::read_value(text, pos, answer.value) || !codec::read_bytes(text, pos, answer.error) ||
      !codec::read_number(text, pos, ';', hint) || pos != text.size()) {
    return false;
  }
  if (hint > kNoNode) return false;
  answer.leader_hint = hint == 0 ? kNoNode : static_cast<NodeId>(hint - 1);
  out = std::move(answer);
  return true;
}

}  // namespace capsim::kv
