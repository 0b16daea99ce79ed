// UTF-8 checks shared by every reader of user text (scenario files, --set overrides, history
// files): whatever they accept must be valid UTF-8, because it ends up in JSON outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace capsim {

// The length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included). Requires: i < size.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// The offset of the first byte that does not start a valid UTF-8 sequence; nullopt when the
// whole text is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// `text` with each byte that is not part of valid UTF-8 written as "\xff", so that a message
// quoting it is text.
std::string escape_invalid_utf8(std::string_view text);

// True when `text` (valid UTF-8) shows nothing: every character is white space (ASCII or
// Unicode's, such as U+00A0 and U+3000) or invisible (U+200B zero width space, U+2060, U+FEFF).
bool is_blank_text(std::string_view text);

// "0xff".
std::string hex_byte(unsigned char byte);

// Appends the UTF-8 encoding of `code`. Requires: code <= 0x10FFFF and not a surrogate.
void append_utf8(std::string& out, std::uint32_t code);

}  // namespace capsim
