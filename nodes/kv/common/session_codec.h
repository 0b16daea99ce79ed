// The Disk encoding of one client's latest decided request (ClientSessions), for protocols that
// keep the table on disk next to their state rather than rebuilding it from a log, so that a
// second copy of a request that arrives after a restart still takes effect at most once.
//
//   <op id>;<outcome: o | f | r>[<answered: 0 | 1>]<value><error as bytes><leader hint>;
//
// in the field encodings of nodes/common/value_codec.h (a leader hint of 0 means none, else
// id + 1).
#pragma once

#include <string>
#include <string_view>

#include "sim/client/kv_messages.h"

namespace capsim::kv {

std::string encode_session_answer(const ClientReply& answer);
// False unless `text` is exactly one encoded answer.
bool decode_session_answer(std::string_view text, ClientReply& out);

}  // namespace capsim::kv
