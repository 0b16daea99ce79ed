// The text form in which a replica stores versions (and lists of keys) on its Disk.
//
// Values, numbers and lists of strings are spelled in the encoding every kv protocol shares
// (nodes/common/value_codec.h):
//   version   <value> <dot node>;<dot counter>;<stamp ns>;<context size>:<node>;<counter>;...
//   versions  <count>:<version>...
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nodes/common/value_codec.h"
#include "nodes/kv/quorum/versions.h"

namespace capsim::quorum {

std::string encode_versions(const Versions& versions);
// Parses what encode_versions() wrote. Returns false (and leaves `out` unspecified) otherwise.
bool decode_versions(std::string_view text, Versions& out);

using codec::decode_strings;
using codec::encode_strings;

}  // namespace capsim::quorum
