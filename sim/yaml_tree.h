// A plain tree of YAML values with a source position on every node: what the scenario loader
// validates. yaml-cpp parses the text; this layer adds what yaml-cpp does not do for us (byte
// checks, a depth limit, a size limit even through aliases, duplicate keys) and gives `--set`
// overrides a tree they can edit without yaml-cpp's shared-reference semantics.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"

namespace capsim {

struct YamlEntry;

struct YamlNode {
  enum class Kind { kNull, kScalar, kList, kMap };

  Kind kind = Kind::kNull;
  std::string text;              // kScalar: the scalar as written, without quotes
  bool quoted = false;           // kScalar: written in quotes or as a block scalar: a string
  SourcePos pos;                 // 1-based; a null map value carries its key's position
  std::vector<YamlNode> items;   // kList
  std::vector<YamlEntry> entries;  // kMap: in written order, keys unique

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_map() const { return kind == Kind::kMap; }
  // The value under `key` in a map; nullptr when absent or when this is not a map.
  const YamlNode* find(std::string_view key) const;
  YamlNode* find(std::string_view key);
  // The whole entry (with the key's position) under `key`; nullptr when absent.
  const YamlEntry* entry(std::string_view key) const;
};

struct YamlEntry {
  std::string key;
  SourcePos key_pos;
  YamlNode value;
};

// Bounds on what the loader accepts. A scenario is a small hand-written file: anything past
// these limits is a mistake or an attack, and is refused before it costs memory or stack.
struct YamlLimits {
  static constexpr std::size_t kMaxBytes = 1024 * 1024;
  static constexpr int kMaxDepth = 32;
  // Aliases can make a small file expand enormously ("billion laughs"), and yaml-cpp even
  // accepts an anchor that refers to itself; this caps the values after expansion.
  static constexpr std::size_t kMaxValues = 100'000;
};

// Checks that `text` is at most kMaxBytes of UTF-8 without NUL bytes. On failure reports one
// whole-file error ("the file is not text: a NUL byte at offset 17") and returns false.
bool check_yaml_bytes(std::string_view text, Diagnostics& diagnostics);

// Parses one YAML document from `text` into a tree; text without a document (empty, or only
// comments) gives a null node. Returns nullopt after reporting, for: a syntax error (at
// yaml-cpp's position, made 1-based), more than one document, nesting deeper than kMaxDepth,
// more than kMaxValues values, or a key that is not text. Duplicate keys and explicit tags
// ("!!str 3", "!foo x": a scenario's types come from its format, never from tags) are
// reported, the later key dropped, and parsing goes on. When `origin` is not empty (a --set value), every position is that origin instead
// of a line and column, and `base_depth` counts the levels above the value.
// Never throws.
std::optional<YamlNode> parse_yaml_tree(std::string_view text, Diagnostics& diagnostics,
                                        const std::string& origin = {}, int base_depth = 0);

// How an error message names what it found: "a map", "a list", "nothing", or the scalar in
// quotes ('fast'), shortened when long.
std::string describe_yaml(const YamlNode& node);

}  // namespace capsim
