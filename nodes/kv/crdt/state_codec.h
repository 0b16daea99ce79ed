// How a replica's state is written to its Disk: one text entry per key, plus the list of keys
// (the Disk cannot list its entries). Values, numbers and the key list are spelled in the
// encoding every kv protocol shares (nodes/common/value_codec.h), which is length-prefixed,
// so decoding needs no parser and strings may hold any byte; decoding checks every length and
// number and fails cleanly on anything malformed.
//
//   dot          <node>,<seq>;
//   g-counter    G<entries>:(<node>,<count>;)...
//   pn-counter   P<g-counter of increments><g-counter of decrements>
//   or-set       S<elements>:(<value><dots>:<dot>...)...<tombstones>:<dot>...
//   lww-register Lnone | L<time>,<node>,<seq>;<value>
//   key list     the shared list of strings
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nodes/kv/crdt/key_state.h"
#include "sim/value.h"

namespace capsim::crdt {

std::string encode_key_state(const KeyState& state);
// False (leaving `out` unspecified) unless `text` is exactly one encoded key state.
bool decode_key_state(std::string_view text, KeyState& out);

std::string encode_key_list(const std::vector<std::string>& keys);
bool decode_key_list(std::string_view text, std::vector<std::string>& out);

}  // namespace capsim::crdt
