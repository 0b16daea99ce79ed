// The text form in which a replica stores versions (and lists of keys) on its Disk.
//
// Every field is length-prefixed or terminated by a fixed character, so decoding needs no
// parser and strings may hold any byte:
//   value     n | i<integer>; | s<length>:<bytes> | l<count>:<values>
//   version   <value> <dot node>;<dot counter>;<stamp ns>;<context size>:<node>;<counter>;...
//   versions  <count>:<version>...
//   strings   <count>:(<length>:<bytes>)...
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nodes/kv/quorum/versions.h"

namespace capsim::quorum {

std::string encode_versions(const Versions& versions);
// Parses what encode_versions() wrote. Returns false (and leaves `out` unspecified) otherwise.
bool decode_versions(std::string_view text, Versions& out);

std::string encode_strings(const std::vector<std::string>& strings);
bool decode_strings(std::string_view text, std::vector<std::string>& out);

}  // namespace capsim::quorum
