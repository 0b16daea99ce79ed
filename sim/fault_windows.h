// How long each fault lasted, so that checkers can measure what it cost (availability and
// latency "during each fault"). Partitions have their own windows with their sides
// (PartitionWindow in simulation.h); this covers the faults on nodes and single links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim {

struct FaultWindow {
  Time start{0};
  std::optional<Time> end;  // none: nothing undid it before the run ended
  std::string description;  // describe_fault() of the fault: "12s crash leader"
};

// One window per crash, pause, skew (to a nonzero offset) and one-way cut in `timeline` (as
// compile_timeline() returns it), in timeline order. A window ends at the event that undoes the
// fault: the event of the same undo group (restart_after, resume_after, skew back, heal_after);
// for a fault written without one, the first later restart / resume / skew of the same node or
// of all nodes, or, for a cut, the first later heal. Partitions and clock jumps (instants) have
// no window here.
std::vector<FaultWindow> fault_windows(const std::vector<FaultSpec>& timeline,
                                       std::uint32_t nodes);

}  // namespace capsim
