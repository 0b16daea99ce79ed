// `--set PATH=VALUE`: command-line edits to a scenario's YAML tree, applied before validation
// so that an overridden value is checked exactly like one written in the file.
#pragma once

#include <string>

#include "sim/diagnostics.h"
#include "sim/yaml_tree.h"

namespace capsim {

// Applies one override such as "cluster.options.w=1", "faults=[]" or "faults.0.at=5s" to
// `root`. PATH is a dot-separated list of map keys and list indexes (counted from 0); missing
// map keys are created, and an empty value on the way becomes a map. VALUE is parsed as YAML.
// Every node written gets SourcePos::origin "--set PATH=VALUE", so later errors in it point at
// the override rather than at the file.
// Returns false after reporting, at that origin, when the override is malformed: text that is
// not valid UTF-8 or holds a NUL byte (the origin then shows such bytes escaped), no '=', an
// empty path or key, an index that is not a number or out of range, a path that descends into
// a scalar, or a value that is not valid YAML.
bool apply_yaml_override(YamlNode& root, const std::string& override_text,
                         Diagnostics& diagnostics);

}  // namespace capsim
