#include "sim/trace_format.h"

#include "sim/fault_timeline.h"
#include "sim/value.h"

namespace capsim {
namespace {

// Every line starts the same way: time first, then the event type, so a person can scan it.
std::string head(Time t, std::string_view ev) {
  std::string line = "{\"t\":" + std::to_string(t.count()) + ",\"ev\":\"";
  line += ev;
  line += '"';
  return line;
}

void field(std::string& line, std::string_view name, std::string_view text) {
  line += ",\"";
  line += name;
  line += "\":";
  append_json_string(line, text);
}

void field(std::string& line, std::string_view name, std::int64_t number) {
  line += ",\"";
  line += name;
  line += "\":";
  line += std::to_string(number);
}

void names_list(std::string& line, const std::vector<NodeId>& ids, std::uint32_t nodes) {
  line += '[';
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) line += ',';
    append_json_string(line, actor_name(ids[i], nodes));
  }
  line += ']';
}

std::string message_line(Time t, std::string_view ev, std::uint64_t id, std::string_view from,
                         std::string_view to, std::string_view kind) {
  std::string line = head(t, ev);
  field(line, "id", static_cast<std::int64_t>(id));
  field(line, "from", from);
  field(line, "to", to);
  field(line, "kind", kind);
  return line;
}

}  // namespace

std::string trace_run_start(const Scenario& scenario, const std::vector<FaultSpec>& timeline) {
  std::string line = head(Time{0}, "run");
  field(line, "scenario", scenario.name);
  line += ",\"seed\":" + std::to_string(scenario.seed);
  field(line, "protocol", scenario.cluster.protocol);
  field(line, "options", scenario.cluster.options.describe());
  field(line, "nodes", scenario.cluster.nodes);
  field(line, "clients", scenario.workload.clients);
  field(line, "duration", scenario.duration.count());
  field(line, "version", CAPSIM_VERSION);
  line += ",\"timeline\":[";
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    if (i != 0) line += ',';
    append_json_string(line, describe_fault(timeline[i], scenario.cluster.nodes));
  }
  return line + "]}";
}

std::string trace_run_end(Time t, std::uint64_t events) {
  std::string line = head(t, "end");
  field(line, "events", static_cast<std::int64_t>(events));
  return line + "}";
}

std::string trace_send(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                       std::string_view kind, const Message& message) {
  std::string line = message_line(t, "send", id, from, to, kind);
  field(line, "msg", message.describe());
  return line + "}";
}

std::string trace_duplicate(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                            std::string_view kind) {
  return message_line(t, "duplicate", id, from, to, kind) + "}";
}

std::string trace_deliver(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                          std::string_view kind) {
  return message_line(t, "deliver", id, from, to, kind) + "}";
}

std::string trace_drop(Time t, std::uint64_t id, std::string_view from, std::string_view to,
                       std::string_view kind, std::string_view cause) {
  std::string line = message_line(t, "drop", id, from, to, kind);
  field(line, "cause", cause);
  return line + "}";
}

std::string trace_timer(Time t, std::string_view node, std::string_view name) {
  std::string line = head(t, "timer");
  field(line, "node", node);
  field(line, "name", name);
  return line + "}";
}

std::string trace_note(Time t, std::string_view node, std::string_view text) {
  std::string line = head(t, "note");
  field(line, "node", node);
  field(line, "text", text);
  return line + "}";
}

std::string trace_engine_note(Time t, std::string_view text) {
  std::string line = head(t, "note");
  field(line, "text", text);
  return line + "}";
}

std::string trace_op(Time t, std::string_view client, const HistoryEvent& event) {
  std::string line = head(t, "op");
  field(line, "client", client);
  if (!event.node.empty()) field(line, "node", event.node);
  line += ",\"index\":" + std::to_string(event.index);
  line += ",\"process\":" + std::to_string(event.process);
  field(line, "type", op_type_name(event.type));
  field(line, "f", event.f);
  if (event.key) field(line, "key", *event.key);
  line += ",\"value\":" + event.value.to_json();
  if (!event.error.empty()) field(line, "error", event.error);
  if (event.answered) line += ",\"answer\":true";
  if (event.final_read) line += ",\"final\":true";
  return line + "}";
}

std::string trace_actor_event(Time t, std::string_view ev, std::string_view node) {
  std::string line = head(t, ev);
  if (!node.empty()) field(line, "node", node);
  return line + "}";
}

std::string trace_crash(Time t, std::string_view node, std::size_t unsynced_lost) {
  std::string line = head(t, "crash");
  field(line, "node", node);
  field(line, "unsynced_lost", static_cast<std::int64_t>(unsynced_lost));
  return line + "}";
}

std::string trace_partition(Time t, std::string_view description,
                            const std::vector<std::vector<NodeId>>& groups, std::uint32_t nodes) {
  std::string line = head(t, "partition");
  field(line, "desc", description);
  line += ",\"groups\":[";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (i != 0) line += ',';
    names_list(line, groups[i], nodes);
  }
  return line + "]}";
}

std::string trace_cut(Time t, std::string_view description, const std::vector<NodeId>& from,
                      const std::vector<NodeId>& to, std::uint32_t nodes) {
  std::string line = head(t, "cut");
  field(line, "desc", description);
  line += ",\"from\":";
  names_list(line, from, nodes);
  line += ",\"to\":";
  names_list(line, to, nodes);
  return line + "}";
}

std::string trace_clock(Time t, std::string_view ev, std::string_view node, Duration amount,
                        Duration offset) {
  std::string line = head(t, ev);
  field(line, "node", node);
  field(line, "by", amount.count());
  field(line, "offset", offset.count());
  return line + "}";
}

}  // namespace capsim
