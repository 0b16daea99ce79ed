// The JSON lines of the trace, one function per event type (format described in trace.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/history.h"
#include "sim/message.h"
#include "sim/node.h"
#include "sim/scenario.h"

namespace capsim {

// The first line: scenario name, seed, protocol, nodes, clients, and the compiled fault timeline.
std::string trace_run_start(const Scenario& scenario, const std::vector<FaultSpec>& timeline);
std::string trace_run_end(Time t, std::uint64_t events);
std::string trace_send(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                       std::string_view kind, const Message& message);
std::string trace_duplicate(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                            std::string_view kind);
std::string trace_deliver(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                          std::string_view kind);
std::string trace_drop(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                       std::string_view kind, std::string_view cause);
std::string trace_timer(Time t, std::string_view node, std::string_view name);
std::string trace_note(Time t, std::string_view node, std::string_view text);
// A note from the engine itself, not from a node.
std::string trace_engine_note(Time t, std::string_view text);
std::string trace_op(Time t, std::string_view client, const HistoryEvent& event);
// "start", "restart", "pause", "resume", "heal" (node empty for heal).
std::string trace_actor_event(Time t, std::string_view ev, std::string_view node);
std::string trace_crash(Time t, std::string_view node, std::size_t unsynced_lost);
std::string trace_partition(Time t, std::string_view description,
                            const std::vector<std::vector<NodeId>>& groups, std::uint32_t nodes);
std::string trace_cut(Time t, std::string_view description, const std::vector<NodeId>& from,
                      const std::vector<NodeId>& to, std::uint32_t nodes);
// "skew" or "jump": the change and the resulting clock offset.
std::string trace_clock(Time t, std::string_view ev, std::string_view node, Duration amount,
                        Duration offset);

}  // namespace capsim
