// The `faults` and `nemesis` sections: timed verbs, and the settings of the random generator.
#include <algorithm>
#include <map>
#include <string>

#include "sim/yaml_sections.h"

namespace capsim {
namespace {

// Each `*_after` key schedules the undo of one kind of fault.
struct UndoKey {
  std::string_view key;
  std::vector<FaultKind> kinds;
  std::string_view applies_to;  // for the error when it is given to another verb
};
const std::vector<UndoKey>& undo_keys() {
  static const std::vector<UndoKey> keys = {
      {"restart_after", {FaultKind::kCrash}, "crash"},
      {"resume_after", {FaultKind::kPause}, "pause"},
      {"heal_after", {FaultKind::kPartition, FaultKind::kCut}, "partition and cut"},
  };
  return keys;
}

const std::vector<std::string>& fault_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> result = {"at"};
    for (const auto& verb : fault_kind_names()) result.push_back(verb);
    for (const auto& undo : undo_keys()) result.emplace_back(undo.key);
    return result;
  }();
  return keys;
}

// The kinds a nemesis can draw at random: each has an undo, so the cluster comes back.
const std::vector<std::string>& nemesis_kinds() {
  static const std::vector<std::string> kinds = {"partition", "cut",  "crash",
                                                 "pause",     "skew", "jump"};
  return kinds;
}

FaultKind fault_kind_from_name(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(FaultKind::kJump); ++i) {
    const auto kind = static_cast<FaultKind>(i);
    if (fault_kind_name(kind) == name) return kind;
  }
  return FaultKind::kHeal;
}

bool is_role(const std::string& text) {
  return std::find(known_roles().begin(), known_roles().end(), text) != known_roles().end();
}

void read_groups(YamlReader& reader, ActorReader& actors, const YamlNode& node,
                 FaultSpec& fault) {
  if (!reader.expect_list(node)) return;
  if (node.items.empty()) {
    reader.error(node.pos, "groups cannot be empty");
    return;
  }
  std::vector<std::vector<NodeId>> groups;
  std::map<NodeId, std::size_t> group_of;  // actor id -> its 1-based group number
  for (const auto& group_node : node.items) {
    if (!reader.expect_list(group_node)) continue;
    if (group_node.items.empty()) {
      reader.error(group_node.pos, "a partition group cannot be empty");
      continue;
    }
    std::vector<NodeId> group;
    for (const auto& member : group_node.items) {
      NodeId id = 0;
      // A group may name clients as well as nodes (c1 takes this side instead of its home's).
      if (!actors.read_actor(member, id)) continue;
      const auto [it, inserted] = group_of.emplace(id, groups.size() + 1);
      if (!inserted) {
        reader.error(member.pos, std::string(id < actors.node_count() ? "node" : "client") +
                                     " '" + member.text + "' is already in group " +
                                     std::to_string(it->second));
        continue;
      }
      group.push_back(id);
    }
    groups.push_back(std::move(group));
  }
  fault.groups = std::move(groups);
}

void read_partition(YamlReader& reader, ActorReader& actors, const YamlNode& node,
                    FaultSpec& fault) {
  if (node.is_scalar()) {
    if (node.text == "groups" || node.text == "isolate") {
      reader.error(node.pos, "'" + node.text + "' needs a value, as in partition: " +
                                 (node.text == "groups" ? "{groups: [[n1, n2], [n3]]}"
                                                        : "{isolate: leader}"));
      return;
    }
    for (const auto& name : partition_shape_names()) {
      if (name != node.text) continue;
      for (int i = 0; i <= static_cast<int>(PartitionShape::kIsolateRole); ++i) {
        const auto shape = static_cast<PartitionShape>(i);
        if (partition_shape_name(shape) == name) fault.shape = shape;
      }
      return;
    }
    reader.error(node.pos,
                 unknown_word_message("partition shape", node.text, partition_shape_names()));
    return;
  }
  if (!node.is_map()) {
    reader.error(node.pos, "expected a partition shape such as majority, or a map with groups "
                           "or isolate, got " + describe_yaml(node));
    return;
  }
  reader.check_keys(node, {"groups", "isolate"});
  const YamlNode* groups = node.find("groups");
  const YamlNode* isolate = node.find("isolate");
  if ((groups == nullptr) == (isolate == nullptr)) {
    reader.error(node.pos, "a partition map takes exactly one of: groups, isolate");
    return;
  }
  if (groups != nullptr) {
    fault.shape = PartitionShape::kGroups;
    read_groups(reader, actors, *groups, fault);
    return;
  }
  std::string role;
  if (!reader.read_scalar(*isolate, "a role such as leader", role)) return;
  if (!is_role(role)) {
    reader.error(isolate->pos, unknown_word_message("role", role, known_roles()));
    return;
  }
  fault.shape = PartitionShape::kIsolateRole;
  fault.role = role;
}

// skew and jump: {node: TARGET, by: SIGNED_DURATION}.
void read_clock_change(YamlReader& reader, ActorReader& actors, const YamlNode& node,
                       std::string_view verb, FaultSpec& fault) {
  if (!reader.expect_map(node)) return;
  reader.check_keys(node, {"node", "by"});
  if (const YamlNode* target = reader.require(node, "node")) {
    actors.read_selector(*target, {"leader", "random", "all"}, verb, fault.target);
  }
  if (const YamlNode* by = reader.require(node, "by")) reader.read_signed_duration(*by, fault.amount);
}

void read_verb(SectionContext& context, const YamlEntry& verb, FaultSpec& fault) {
  YamlReader& reader = context.reader;
  ActorReader actors(reader, context.counts);
  const YamlNode& value = verb.value;
  fault.kind = fault_kind_from_name(verb.key);
  switch (fault.kind) {
    case FaultKind::kPartition:
      read_partition(reader, actors, value, fault);
      break;
    case FaultKind::kCut:
      if (!reader.expect_map(value)) break;
      reader.check_keys(value, {"from", "to"});
      if (const YamlNode* from = reader.require(value, "from")) actors.read_nodes(*from, fault.from);
      if (const YamlNode* to = reader.require(value, "to")) actors.read_nodes(*to, fault.to);
      break;
    case FaultKind::kHeal: {
      std::string target;
      if (reader.read_scalar(value, "'all'", target) && target != "all") {
        reader.error(value.pos, "heal takes only 'all', got " + describe_yaml(value));
      }
      break;
    }
    case FaultKind::kCrash:
    case FaultKind::kPause:
      actors.read_selector(value, {"leader", "random", "all"}, verb.key, fault.target, true);
      break;
    case FaultKind::kRestart:
    case FaultKind::kResume:
      actors.read_selector(value, {"random", "all"}, verb.key, fault.target, true);
      break;
    case FaultKind::kSkew:
    case FaultKind::kJump:
      read_clock_change(reader, actors, value, verb.key, fault);
      break;
  }
}

void read_fault(SectionContext& context, const YamlNode& item, FaultSpec& fault) {
  YamlReader& reader = context.reader;
  reader.check_keys(item, fault_keys());
  fault.pos = item.pos;
  if (const YamlNode* at = reader.require(item, "at")) {
    Time time{0};
    if (reader.read_duration(*at, time) && context.check_within_run(*at, "at", time)) {
      fault.at = time;
    }
  }
  const YamlEntry* verb = nullptr;
  for (const auto& entry : item.entries) {
    const auto& verbs = fault_kind_names();
    if (std::find(verbs.begin(), verbs.end(), entry.key) == verbs.end()) continue;
    if (verb == nullptr) {
      verb = &entry;
    } else {
      reader.error(entry.key_pos, "a fault takes exactly one verb, but this one has '" +
                                      verb->key + "' and '" + entry.key + "'");
    }
  }
  if (verb == nullptr) {
    reader.error(item.pos, "a fault needs one of: " + list_choices(fault_kind_names()));
  } else {
    read_verb(context, *verb, fault);
  }
  for (const auto& undo : undo_keys()) {
    const YamlEntry* entry = item.entry(undo.key);
    if (entry == nullptr) continue;
    if (verb != nullptr &&
        std::find(undo.kinds.begin(), undo.kinds.end(), fault.kind) == undo.kinds.end()) {
      reader.error(entry->key_pos, std::string(undo.key) + " only applies to " +
                                       std::string(undo.applies_to));
      continue;
    }
    Duration after{0};
    if (reader.read_positive_duration(entry->value, undo.key, after)) fault.undo_after = after;
  }
}

void read_nemesis_kinds(YamlReader& reader, const YamlNode& node, NemesisSpec& out) {
  if (!reader.expect_list(node)) return;
  if (node.items.empty()) {
    reader.error(node.pos, "the nemesis needs at least one fault kind");
    return;
  }
  const auto& kinds = nemesis_kinds();
  for (const auto& item : node.items) {
    std::string name;
    if (!reader.read_scalar(item, "a fault kind such as crash", name)) continue;
    const auto& all = fault_kind_names();
    if (std::find(kinds.begin(), kinds.end(), name) != kinds.end()) {
      const FaultKind kind = fault_kind_from_name(name);
      if (std::find(out.faults.begin(), out.faults.end(), kind) != out.faults.end()) {
        reader.error(item.pos, "fault kind '" + name + "' is listed twice");
      } else {
        out.faults.push_back(kind);
      }
    } else if (std::find(all.begin(), all.end(), name) != all.end()) {
      reader.error(item.pos, "the nemesis cannot draw '" + name +
                                 "' (expected one of: " + list_choices(kinds) + ")");
    } else {
      reader.error(item.pos, unknown_word_message("fault kind", name, kinds));
    }
  }
}

}  // namespace

void read_faults(const YamlNode& node, SectionContext& context, std::vector<FaultSpec>& out) {
  if (!context.reader.expect_list(node)) return;
  for (const auto& item : node.items) {
    if (!context.reader.expect_map(item)) continue;
    FaultSpec fault;
    read_fault(context, item, fault);
    out.push_back(std::move(fault));
  }
}

void read_nemesis(const YamlNode& node, SectionContext& context, NemesisSpec& out) {
  YamlReader& reader = context.reader;
  if (!reader.expect_map(node)) return;
  reader.check_keys(node, {"faults", "interval", "duration", "start", "stop"});
  out.pos = node.pos;
  if (const YamlNode* faults = reader.require(node, "faults")) {
    read_nemesis_kinds(reader, *faults, out);
  }
  if (const YamlNode* interval = node.find("interval")) {
    reader.read_positive_duration(*interval, "interval", out.interval);
  }
  if (const YamlNode* duration = node.find("duration")) {
    reader.read_positive_duration(*duration, "duration", out.fault_duration);
  }
  bool start_ok = true;
  if (const YamlNode* start = node.find("start")) {
    Time time{0};
    start_ok = reader.read_duration(*start, time) && context.check_within_run(*start, "start", time);
    if (start_ok) out.start = time;
  }
  if (const YamlNode* stop = node.find("stop")) {
    Time time{0};
    if (!reader.read_duration(*stop, time) || !context.check_within_run(*stop, "stop", time)) {
      return;
    }
    if (start_ok && time < out.start) {
      reader.error(stop->pos, "stop " + stop->text + " is before start " +
                                  format_duration(out.start));
      return;
    }
    out.stop = time;
  }
}

}  // namespace capsim
