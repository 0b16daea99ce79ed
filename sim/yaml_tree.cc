#include "sim/yaml_tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <exception>
#include <sstream>

#include "sim/utf8.h"

namespace capsim {

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

YamlNode* YamlNode::find(std::string_view key) {
  for (auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

const YamlEntry* YamlNode::entry(std::string_view key) const {
  for (const auto& candidate : entries) {
    if (candidate.key == key) return &candidate;
  }
  return nullptr;
}

namespace {

class TreeBuilder {
 public:
  TreeBuilder(Diagnostics& diagnostics, const std::string& origin)
      : diagnostics_(diagnostics), origin_(origin) {}

  // Returns false after reporting a problem that makes the rest of the tree meaningless.
  bool build(const YAML::Node& in, int depth, YamlNode& out) {
    out.pos = position(in.Mark());
    if (depth > YamlLimits::kMaxDepth) {
      diagnostics_.error(out.pos, "nesting is deeper than " +
                                      std::to_string(YamlLimits::kMaxDepth) + " levels");
      return false;
    }
    if (++values_ > YamlLimits::kMaxValues) {
      diagnostics_.error(out.pos, "the scenario has more than " +
                                      std::to_string(YamlLimits::kMaxValues) +
                                      " values (aliases counted as copies)");
      return false;
    }
    check_tag(in, out.pos);
    switch (in.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = YamlNode::Kind::kScalar;
        out.text = in.Scalar();
        // yaml-cpp gives every quoted or block scalar the non-specific tag "!".
        out.quoted = in.Tag() == "!";
        return true;
      case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::kList;
        for (const auto& item : in) {
          out.items.emplace_back();
          if (!build(item, depth + 1, out.items.back())) return false;
        }
        return true;
      case YAML::NodeType::Map:
        out.kind = YamlNode::Kind::kMap;
        return build_map(in, depth, out);
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        out.kind = YamlNode::Kind::kNull;
        return true;
    }
    return true;
  }

 private:
  bool build_map(const YAML::Node& in, int depth, YamlNode& out) {
    for (auto it = in.begin(); it != in.end(); ++it) {
      const SourcePos key_pos = position(it->first.Mark());
      if (!it->first.IsScalar()) {
        diagnostics_.error(key_pos, "a key must be plain text, such as a name");
        continue;
      }
      check_tag(it->first, key_pos);
      const std::string key = it->first.Scalar();
      if (const YamlEntry* first = find_entry(out, key)) {
        // yaml-cpp keeps both pairs and lookups see only the first: a later one would be
        // silently ignored, so it is an error.
        std::string message = "duplicate key '" + key + "'";
        if (first->key_pos.line > 0) {
          message += " (first given at line " + std::to_string(first->key_pos.line) + ")";
        }
        diagnostics_.error(key_pos, message);
        continue;
      }
      out.entries.push_back(YamlEntry{key, key_pos, YamlNode{}});
      YamlNode& value = out.entries.back().value;
      if (!build(it->second, depth + 1, value)) return false;
      // yaml-cpp marks an empty value at the next token, often the next line: the key is
      // where the reader should look.
      if (value.is_null()) value.pos = key_pos;
    }
    return true;
  }

  // yaml-cpp marks untagged nodes "?" (plain) or "!" (quoted); anything else was written.
  void check_tag(const YAML::Node& in, const SourcePos& pos) {
    const std::string& tag = in.Tag();
    if (tag.empty() || tag == "?" || tag == "!") return;
    constexpr std::string_view kCore = "tag:yaml.org,2002:";
    const std::string shown =
        tag.starts_with(kCore) ? "!!" + tag.substr(kCore.size()) : tag;
    diagnostics_.error(pos, "the YAML tag '" + shown +
                                "' is not supported: write the value without it (text in "
                                "quotes, numbers and true/false without)");
  }

  static const YamlEntry* find_entry(const YamlNode& map, const std::string& key) {
    for (const auto& entry : map.entries) {
      if (entry.key == key) return &entry;
    }
    return nullptr;
  }

  SourcePos position(const YAML::Mark& mark) const {
    if (!origin_.empty() || mark.is_null()) return SourcePos{0, 0, origin_};
    return SourcePos{mark.line + 1, mark.column + 1, {}};
  }

  Diagnostics& diagnostics_;
  const std::string& origin_;
  std::size_t values_ = 0;
};

constexpr std::string_view kStrayComma =
    "',' outside [...] or {...}: commas separate items only in a flow list or map (quote the "
    "text if the comma belongs to it)";

// Where each document of a stream starts; the events inside documents are not needed.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// What the stream holds at the document level, found without ever looping on a stray ','.
//
// yaml-cpp 0.7 scans ',' as a flow entry even outside [...] and {...}. When such a comma is
// where a document's top node should be (the whole input ",", ", x", "--- ,", or after a
// finished top node: "[a], b", "\"x\", y", "- a\n, b", "a\n...\n,"), the parser emits a null
// node without consuming the comma, so every later call of Parser::HandleNextDocument starts
// a new empty document at the same comma and returns true: YAML::LoadAll, which loops until
// that call returns false, then spins and grows without bound (yaml-cpp issue 1040). A comma
// inside a block collection ("a: ,", "- ,") is not affected: the collection's own loop meets
// it and throws a syntax error.
//
// The bound does not depend on which inputs reach that state: this calls HandleNextDocument
// at most three times, and one call always ends (each loop in yaml-cpp's collection parsers
// consumes a token or throws, and its recursion is capped). A call that consumes nothing
// starts its document at the mark of the previous one, since every document that consumes a
// token ends past its first token's mark; two documents starting at the same mark are
// therefore the stuck state, reported at that mark. Otherwise a second start is a real second
// document. The tree itself is then built with YAML::Load, which reads only the first
// document (one call).
struct StreamShape {
  std::size_t documents = 0;           // 0, 1, or 2 meaning "more than one"
  std::optional<YAML::Mark> stuck_at;  // a document-level token yaml-cpp cannot consume
  YAML::Mark second_document;          // when documents == 2 and nothing is stuck
};

StreamShape stream_shape(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  for (int call = 0; call < 3 && parser.HandleNextDocument(handler); ++call) {
  }
  const std::vector<YAML::Mark>& starts = handler.starts;
  StreamShape shape;
  shape.documents = std::min<std::size_t>(starts.size(), 2);
  for (std::size_t i = 1; i < starts.size(); ++i) {
    if (starts[i].pos == starts[i - 1].pos) {
      shape.stuck_at = starts[i];
      return shape;
    }
  }
  if (starts.size() > 1) shape.second_document = starts[1];
  return shape;
}

// The input from a yaml-cpp mark to the end, for naming what was found there.
// Marks count bytes of the UTF-8 input from 0, after any byte-order mark.
std::string_view text_at(std::string_view text, const YAML::Mark& mark) {
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) return {};
  return text.substr(static_cast<std::size_t>(mark.pos));
}

}  // namespace

bool check_yaml_bytes(std::string_view text, Diagnostics& diagnostics) {
  if (text.size() > YamlLimits::kMaxBytes) {
    diagnostics.error({}, "the file is larger than 1 MiB");
    return false;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\0') {
      diagnostics.error({}, "the file is not text: a NUL byte at offset " + std::to_string(i));
      return false;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      diagnostics.error({}, "the file is not valid UTF-8: byte " +
                                hex_byte(static_cast<unsigned char>(text[i])) + " at offset " +
                                std::to_string(i));
      return false;
    }
    i += length;
  }
  return true;
}

std::optional<YamlNode> parse_yaml_tree(std::string_view text, Diagnostics& diagnostics,
                                        const std::string& origin, int base_depth) {
  const auto where = [&](const YAML::Mark& mark) {
    if (!origin.empty() || mark.is_null()) return SourcePos{0, 0, origin};
    return SourcePos{mark.line + 1, mark.column + 1, {}};
  };
  try {
    // Never YAML::LoadAll: see stream_shape.
    const std::string input(text);
    const StreamShape shape = stream_shape(input);
    if (shape.stuck_at) {
      const std::string_view found = text_at(text, *shape.stuck_at);
      diagnostics.error(where(*shape.stuck_at),
                        found.starts_with(",")
                            ? "invalid YAML: " + std::string(kStrayComma)
                            : "invalid YAML: unexpected text where a value should start");
      return std::nullopt;
    }
    if (shape.documents == 0) return YamlNode{};
    if (shape.documents > 1) {
      diagnostics.error(where(shape.second_document),
                        "a second YAML document ('---'): a scenario is a single document");
      return std::nullopt;
    }
    YamlNode root;
    TreeBuilder builder(diagnostics, origin);
    if (!builder.build(YAML::Load(input), base_depth + 1, root)) return std::nullopt;
    return root;
  } catch (const YAML::DeepRecursion&) {
    // yaml-cpp's own guard trips far deeper than ours, and its mark and text say nothing
    // useful ("bad file"); the fact itself is what matters.
    diagnostics.error(SourcePos{0, 0, origin}, "nesting is deeper than " +
                                                   std::to_string(YamlLimits::kMaxDepth) +
                                                   " levels");
  } catch (const YAML::Exception& e) {
    std::string message = "invalid YAML: " + e.msg;
    // A block map or list that meets a ',' says only that it did not end.
    if ((e.msg == YAML::ErrorMsg::END_OF_MAP || e.msg == YAML::ErrorMsg::END_OF_SEQ) &&
        text_at(text, e.mark).starts_with(",")) {
      message += "; " + std::string(kStrayComma);
    }
    // A bare * starts an alias in YAML; in a scenario it almost always meant "any actor".
    if (e.msg.find("alias not found") != std::string::npos) {
      message += " (to mean any sender or receiver, quote it: '*')";
    }
    diagnostics.error(where(e.mark), message);
  } catch (const std::exception& e) {
    diagnostics.error(SourcePos{0, 0, origin}, std::string("cannot parse YAML: ") + e.what());
  }
  return std::nullopt;
}

std::string describe_yaml(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::kNull: return "nothing";
    case YamlNode::Kind::kList: return "a list";
    case YamlNode::Kind::kMap: return "a map";
    case YamlNode::Kind::kScalar: break;
  }
  constexpr std::size_t kShown = 40;
  if (node.text.size() <= kShown) return "'" + node.text + "'";
  // Cut at a character boundary, never inside a UTF-8 sequence.
  std::size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(node.text[cut]) & 0xc0) == 0x80) --cut;
  return "'" + node.text.substr(0, cut) + "...'";
}

}  // namespace capsim
