#include "sim/node_event.h"

namespace capsim {

std::string_view node_event_kind_name(NodeEventKind kind) {
  switch (kind) {
    case NodeEventKind::kElected: return "elected";
    case NodeEventKind::kSteppedDown: return "stepped-down";
    case NodeEventKind::kEntriesDropped: return "entries-dropped";
    case NodeEventKind::kCommittedLost: return "committed-lost";
    case NodeEventKind::kStateTorn: return "state-torn";
    case NodeEventKind::kHandoff: return "handoff";
    case NodeEventKind::kWriteLost: return "write-lost";
    case NodeEventKind::kIsrShrunk: return "isr-shrunk";
    case NodeEventKind::kIsrExpanded: return "isr-expanded";
    case NodeEventKind::kUncleanElection: return "unclean-election";
  }
  return "unknown";
}

}  // namespace capsim
