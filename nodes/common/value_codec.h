// The text encoding in which every protocol stores values (and the numbers and strings around
// them) on its Disk, written once so that each protocol's own disk format only says what it
// stores, not how a value is spelled.
//
// Every field is length-prefixed or ends in a fixed stop character, so decoding needs no parser
// and strings may hold any byte:
//   number   <decimal digits><stop>              (unsigned; the stop is chosen by the caller)
//   signed   [-]<decimal digits><stop>
//   bytes    <length>:<bytes>
//   value    n | i<integer>; | s<length>:<bytes> | l<count>:<value>...
//   strings  <count>:<bytes>...
// A number kept alone under a Disk key (a boot count, a term) is plain decimal, as
// std::to_string writes it.
// Readers take the text and a position, advance the position past what they read and return
// false on anything malformed (a missing stop, an overflowing number, a length past the end,
// lists nested too deep); after a false the position and `out` are unspecified.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/disk.h"
#include "sim/value.h"

namespace capsim::codec {

void put_number(std::uint64_t number, char stop, std::string& out);
void put_signed(std::int64_t number, char stop, std::string& out);
void put_bytes(std::string_view bytes, std::string& out);
void put_value(const Value& value, std::string& out);

bool read_number(std::string_view text, std::size_t& pos, char stop, std::uint64_t& out);
bool read_signed(std::string_view text, std::size_t& pos, char stop, std::int64_t& out);
// A number of items that each take at least one byte, so a count larger than what remains of
// the text fails at once instead of reserving memory for items that cannot be there.
bool read_count(std::string_view text, std::size_t& pos, char stop, std::uint64_t& out);
bool read_bytes(std::string_view text, std::size_t& pos, std::string& out);
bool read_value(std::string_view text, std::size_t& pos, Value& out);

std::string encode_strings(const std::vector<std::string>& strings);
// False unless `text` is exactly one encoded list of strings.
bool decode_strings(std::string_view text, std::vector<std::string>& out);

// Plain decimal text as a number; nullopt for anything else (a sign, a space, an overflow).
std::optional<std::uint64_t> parse_stored_number(std::string_view text);
// The number stored under `key`; nullopt if the key is absent or holds anything else.
std::optional<std::uint64_t> read_stored_number(const Disk& disk, std::string_view key);

}  // namespace capsim::codec
