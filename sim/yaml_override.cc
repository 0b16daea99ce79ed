#include "sim/yaml_override.h"

#include <charconv>
#include <vector>

#include "sim/utf8.h"

namespace capsim {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot == std::string::npos ? std::string::npos
                                                                   : dot - start));
    if (dot == std::string::npos) return segments;
    start = dot + 1;
  }
}

std::string join_path(const std::vector<std::string>& segments, std::size_t count) {
  std::string path;
  for (std::size_t i = 0; i < count; ++i) path += (i == 0 ? "" : ".") + segments[i];
  return path;
}

bool parse_index(const std::string& text, std::size_t& index) {
  if (text.empty() || text.size() > 9) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto result = std::from_chars(text.data(), text.data() + text.size(), index);
  return result.ec == std::errc{};
}

}  // namespace

bool apply_yaml_override(YamlNode& root, const std::string& override_text,
                         Diagnostics& diagnostics) {
  // The same byte rules as a scenario file: the override's text reaches summary.json (the
  // reproduce line) and its value may reach any output.
  if (const std::optional<std::size_t> bad = first_invalid_utf8(override_text)) {
    diagnostics.error(SourcePos{0, 0, "--set " + escape_invalid_utf8(override_text)},
                      "not valid UTF-8: byte " +
                          hex_byte(static_cast<unsigned char>(override_text[*bad])) +
                          " at offset " + std::to_string(*bad));
    return false;
  }
  if (const std::size_t nul = override_text.find('\0'); nul != std::string::npos) {
    diagnostics.error(SourcePos{0, 0, "--set " + override_text.substr(0, nul) + "\\0..."},
                      "not text: a NUL byte at offset " + std::to_string(nul));
    return false;
  }
  const std::string origin = "--set " + override_text;
  const SourcePos here{0, 0, origin};
  const std::size_t equals = override_text.find('=');
  if (equals == std::string::npos) {
    diagnostics.error(here, "expected PATH=VALUE, such as cluster.nodes=5");
    return false;
  }
  const std::string path = override_text.substr(0, equals);
  if (path.empty()) {
    diagnostics.error(here, "the path before '=' is empty");
    return false;
  }
  const std::vector<std::string> segments = split_path(path);
  for (const auto& segment : segments) {
    if (segment.empty()) {
      diagnostics.error(here, "the path '" + path + "' has an empty key");
      return false;
    }
  }
  // Parse the value first, so that a bad value leaves the tree untouched.
  std::optional<YamlNode> value =
      parse_yaml_tree(override_text.substr(equals + 1), diagnostics, origin,
                      static_cast<int>(segments.size()));
  if (!value) return false;
  // An empty value has no position of its own; it still came from here.
  if (value->is_null()) value->pos = here;

  YamlNode* node = &root;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const std::string parent = i == 0 ? "the scenario" : "'" + join_path(segments, i) + "'";
    if (node->is_null()) node->kind = YamlNode::Kind::kMap;
    if (node->is_map()) {
      YamlNode* child = node->find(segment);
      if (child == nullptr) {
        node->entries.push_back(YamlEntry{segment, here, YamlNode{}});
        child = &node->entries.back().value;
        child->pos = here;
      }
      node = child;
    } else if (node->is_list()) {
      std::size_t index = 0;
      if (!parse_index(segment, index)) {
        diagnostics.error(here, parent + " is a list: expected an item number from 0, got '" +
                                    segment + "'");
        return false;
      }
      if (index >= node->items.size()) {
        const std::size_t size = node->items.size();
        diagnostics.error(here, "item " + segment + " is out of range: " + parent + " has " +
                                    std::to_string(size) + (size == 1 ? " item" : " items"));
        return false;
      }
      node = &node->items[index];
    } else {
      diagnostics.error(here, "cannot set '" + path + "': " + parent +
                                  " is a single value, not a map or a list");
      return false;
    }
  }
  *node = std::move(*value);
  return true;
}

}  // namespace capsim
