#include "sim/fault_windows.h"

#include "sim/fault_timeline.h"

namespace capsim {
namespace {

// The kind of event that undoes `kind`; kHeal stands for "none" where nothing can.
FaultKind undo_kind(FaultKind kind) {
  switch (kind) {
    case FaultKind::kCrash: return FaultKind::kRestart;
    case FaultKind::kPause: return FaultKind::kResume;
    case FaultKind::kSkew: return FaultKind::kSkew;
    case FaultKind::kCut: return FaultKind::kHeal;
    default: return FaultKind::kHeal;
  }
}

bool has_window(const FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::kCrash:
    case FaultKind::kPause:
    case FaultKind::kCut: return true;
    case FaultKind::kSkew: return fault.amount != Duration{0};
    default: return false;
  }
}

// True if `undo`, written on its own, undoes `fault` (same node, or every node).
bool undoes_by_target(const FaultSpec& fault, const FaultSpec& undo) {
  if (fault.kind == FaultKind::kCut) return true;  // a heal restores every cut link
  if (fault.kind == FaultKind::kSkew && undo.amount != Duration{0}) return false;
  if (undo.target.kind == NodeSelector::Kind::kAll) return true;
  return undo.target.kind == NodeSelector::Kind::kNode &&
         fault.target.kind == NodeSelector::Kind::kNode && undo.target.node == fault.target.node;
}

}  // namespace

std::vector<FaultWindow> fault_windows(const std::vector<FaultSpec>& timeline,
                                       std::uint32_t nodes) {
  std::vector<FaultWindow> windows;
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    const FaultSpec& fault = timeline[i];
    if (!has_window(fault)) continue;
    FaultWindow window{fault.at, std::nullopt, describe_fault(fault, nodes)};
    for (std::size_t j = i + 1; j < timeline.size(); ++j) {
      const FaultSpec& later = timeline[j];
      if (later.kind != undo_kind(fault.kind)) continue;
      const bool same_group = fault.undo_group != 0 && later.undo_group == fault.undo_group;
      const bool by_target = fault.undo_group == 0 && undoes_by_target(fault, later);
      if (same_group || by_target) {
        window.end = later.at;
        break;
      }
    }
    windows.push_back(std::move(window));
  }
  return windows;
}

}  // namespace capsim
