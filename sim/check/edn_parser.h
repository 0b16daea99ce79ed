// A small parser for EDN (Clojure's data notation), enough for Jepsen's history files: nil,
// true/false, integers, floats (kept as text), strings with escapes, characters, keywords,
// symbols, lists, vectors, maps, sets, tagged forms (#inst "...", #jepsen.history.Op{...}: the
// tag is kept, the form is read), `;` comments, `#_` discards, and commas as whitespace.
//
// Limits protect the caller: the input may hold at most kMaxEdnBytes, and collections may nest
// at most kMaxEdnDepth deep. The input must be UTF-8, and a "\u" escape must name a character
// (a surrogate pair is joined; half of one is refused), so every string read is valid UTF-8.
// The first problem stops parsing and is reported as FILE:LINE:COL (1-based; columns count
// bytes).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"

namespace capsim {

constexpr std::size_t kMaxEdnBytes = std::size_t{256} * 1024 * 1024;
constexpr int kMaxEdnDepth = 64;

struct EdnNode {
  enum class Kind {
    kNil,
    kBoolean,
    kInteger,
    kFloat,
    kString,
    kCharacter,
    kKeyword,
    kSymbol,
    kList,
    kVector,
    kMap,
    kSet,
  };
  Kind kind = Kind::kNil;
  int line = 0;  // where the form starts, 1-based
  int column = 0;
  bool boolean = false;
  std::int64_t integer = 0;
  // A string's or character's contents; a keyword's or symbol's name (a keyword without its
  // colon); a float's literal text.
  std::string text;
  std::string tag;             // the tag of a tagged form, without '#'
  std::vector<EdnNode> items;  // a collection's elements; a map's keys and values alternate

  bool is_collection() const {
    return kind == Kind::kList || kind == Kind::kVector || kind == Kind::kMap || kind == Kind::kSet;
  }
  // "a map", "the keyword :ok", "the integer 7": for messages.
  std::string describe() const;
};

// Parses every top-level form of `text`. On a syntax error reports it and returns nullopt.
std::optional<std::vector<EdnNode>> parse_edn(std::string_view text, Diagnostics& diagnostics);

// The forms of a text as they are read, so that a large file never stands in memory as one
// tree: a Jepsen history is often a single vector of maps, and its elements come one by one.
struct EdnVisitor {
  // Each element of the first top-level form, when that form is a vector or a list (tagged or
  // not), in order, as soon as it is read.
  std::function<void(EdnNode&&)> element;
  // Each top-level form once read, in order. The first, when it is a vector or a list, comes
  // after its elements and without them (its items are empty).
  std::function<void(EdnNode&&)> form;
};

// Parses `text` as parse_edn() does, handing the forms to `visitor` instead of keeping them.
// Returns false after reporting a syntax error (the visitor may have seen forms before it).
bool parse_edn_forms(std::string_view text, Diagnostics& diagnostics, const EdnVisitor& visitor);

}  // namespace capsim
