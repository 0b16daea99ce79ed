#include "sim/scenario.h"

namespace capsim {
namespace {
struct KindName { FaultKind kind; std::string_view name; };
constexpr KindName kKindNames[] = {
    {FaultKind::kPartition, "partition"}, {FaultKind::kCut, "cut"},
    {FaultKind::kHeal, "heal"},           {FaultKind::kCrash, "crash"},
    {FaultKind::kRestart, "restart"},     {FaultKind::kPause, "pause"},
    {FaultKind::kResume, "resume"},       {FaultKind::kSkew, "skew"},
    {FaultKind::kJump, "jump"},
};
struct ShapeName { PartitionShape shape; std::string_view name; };
constexpr ShapeName kShapeNames[] = {
    {PartitionShape::kGroups, "groups"},
    {PartitionShape::kOne, "one"},
    {PartitionShape::kMajority, "majority"},
    {PartitionShape::kMajoritiesRing, "majorities-ring"},
    {PartitionShape::kMinorityThird, "minority-third"},
    {PartitionShape::kBridge, "bridge"},
    {PartitionShape::kIsolateRole, "isolate"},
};
}  // namespace

std::string_view fault_kind_name(FaultKind kind) {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "heal";
}

const std::vector<std::string>& fault_kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& entry : kKindNames) result.emplace_back(entry.name);
    return result;
  }();
  return names;
}

std::string_view partition_shape_name(PartitionShape shape) {
  for (const auto& entry : kShapeNames) {
    if (entry.shape == shape) return entry.name;
  }
  return "groups";
}

const std::vector<std::string>& partition_shape_names() {
  static const std::vector<std::string> names = {"one", "majority", "majorities-ring",
                                                 "minority-third", "bridge"};
  return names;
}

const std::vector<std::string>& retry_policy_names() {
  static const std::vector<std::string> names = {"none", "fixed", "exponential", "full-jitter"};
  return names;
}

std::string actor_name(NodeId id, std::uint32_t cluster_size) {
  if (id < cluster_size) return "n" + std::to_string(id + 1);
  return "c" + std::to_string(id - cluster_size + 1);
}

}  // namespace capsim
