#include "sim/final_reads.h"

#include <algorithm>
#include <optional>
#include <string>

namespace capsim {
namespace {

// An instant as seconds with only the decimals it needs ("9.5s", "12s"), like the fault
// timeline prints them, rather than format_duration's mixed units ("9500ms").
std::string instant(Time at) {
  const std::int64_t ms = at.count() / kMillisecond.count();
  if (at.count() % kMillisecond.count() != 0) return format_duration(at);
  std::string text = std::to_string(ms / 1000);
  std::string fraction = std::to_string(ms % 1000);
  fraction.insert(0, 3 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return text + (fraction.empty() ? "" : "." + fraction) + "s";
}

std::string fault_name(const FaultSpec& fault) {
  return std::string(fault_kind_name(fault.kind)) + " at " + instant(fault.at);
}

// What undoing a fault is called, and how a scenario asks for it.
struct UndoWords {
  const char* done;  // "healed"
  const char* how;   // "add heal_after or a later heal"
};

std::optional<UndoWords> undo_words(FaultKind kind) {
  switch (kind) {
    case FaultKind::kPartition:
    case FaultKind::kCut:
      return UndoWords{"healed", "add heal_after or a later {heal: all}"};
    case FaultKind::kCrash:
      return UndoWords{"restarted", "add restart_after or a later restart of the same node"};
    case FaultKind::kPause:
      return UndoWords{"resumed", "add resume_after or a later resume of the same node"};
    default:
      return std::nullopt;  // nothing to undo (heal, restart, resume) or harmless to reads
  }
}

// True if `later` undoes `fault` (both scheduled): a heal ends every partition and cut; a
// restart (resume) of the same named node, or of all, ends a crash (pause).
bool undoes(const FaultSpec& fault, const FaultSpec& later) {
  switch (fault.kind) {
    case FaultKind::kPartition:
    case FaultKind::kCut:
      return later.kind == FaultKind::kHeal;
    case FaultKind::kCrash:
    case FaultKind::kPause: {
      const FaultKind inverse =
          fault.kind == FaultKind::kCrash ? FaultKind::kRestart : FaultKind::kResume;
      if (later.kind != inverse) return false;
      if (later.target.kind == NodeSelector::Kind::kAll) return true;
      return fault.target.kind == NodeSelector::Kind::kNode &&
             later.target.kind == NodeSelector::Kind::kNode &&
             later.target.node == fault.target.node;
    }
    default:
      return false;
  }
}

// When scheduled fault i stops acting: its own undo, else the first later event that undoes it
// (at the same time only if written after it, as the timeline orders them). None if nothing does.
std::optional<Time> undone_at(const std::vector<FaultSpec>& faults, std::size_t i) {
  const FaultSpec& fault = faults[i];
  if (fault.undo_after) return fault.at + *fault.undo_after;
  std::optional<Time> first;
  for (std::size_t j = 0; j < faults.size(); ++j) {
    const FaultSpec& later = faults[j];
    const bool after = later.at > fault.at || (later.at == fault.at && j > i);
    if (after && undoes(fault, later) && (!first || later.at < *first)) first = later.at;
  }
  return first;
}

void check_scheduled(const Scenario& scenario, Time quiet_at, Time final_at,
                     std::vector<Diagnostic>& problems) {
  const std::string settle = "final reads need every fault over by the start of the quiet "
                             "period (" + instant(quiet_at) +
                             "), so the replicas settle before the final reads at " +
                             instant(final_at);
  for (std::size_t i = 0; i < scenario.faults.size(); ++i) {
    const FaultSpec& fault = scenario.faults[i];
    const std::optional<UndoWords> words = undo_words(fault.kind);
    // The events that only undo (heal, restart, resume) are judged with the faults they undo.
    const bool only_undoes = fault.kind == FaultKind::kHeal || fault.kind == FaultKind::kRestart ||
                             fault.kind == FaultKind::kResume;
    if (fault.at > quiet_at && !only_undoes) {
      problems.push_back({"", fault.pos, "the " + fault_name(fault) + " comes after the quiet "
                                             "period begins: " + settle});
      continue;
    }
    if (!words) continue;
    const std::optional<Time> undone = undone_at(scenario.faults, i);
    if (!undone) {
      problems.push_back({"", fault.pos, "the " + fault_name(fault) + " is never " + words->done +
                                             ", but " + settle + "; " + words->how});
    } else if (*undone > quiet_at) {
      problems.push_back({"", fault.pos, "the " + fault_name(fault) + " is " + words->done +
                                             " only at " + instant(*undone) +
                                             ", after the quiet period begins: " + settle});
    }
  }
}

void check_nemesis(const Scenario& scenario, Time quiet_at, Time final_at,
                   std::vector<Diagnostic>& problems) {
  if (!scenario.nemesis || scenario.nemesis->faults.empty()) return;
  const NemesisSpec& nemesis = *scenario.nemesis;
  const Time stop = std::min(nemesis.stop.value_or(scenario.duration - nemesis.interval),
                             scenario.duration);
  const Time last = stop + nemesis.fault_duration;
  if (last <= quiet_at) return;
  problems.push_back({"", nemesis.pos,
                      "the nemesis may act until " + instant(last) + " (its stop " +
                          instant(stop) + " plus its fault duration " +
                          format_duration(nemesis.fault_duration) +
                          "), after the quiet period begins (" + instant(quiet_at) +
                          "): final reads need every fault over by then, so the replicas "
                          "settle before the final reads at " + instant(final_at) +
                          "; stop the nemesis earlier or lengthen workload.quiet"});
}

}  // namespace

Time final_reads_start(const Scenario& scenario) {
  return scenario.duration - scenario.workload.timeout;
}

Time quiet_start(const Scenario& scenario) {
  return scenario.duration - scenario.workload.quiet;
}

std::vector<Diagnostic> final_reads_problems(const Scenario& scenario,
                                             const SourcePos& final_reads_pos) {
  std::vector<Diagnostic> problems;
  const WorkloadSpec& workload = scenario.workload;
  if (!workload.final_reads) return problems;
  if (workload.quiet <= workload.timeout) {
    problems.push_back({"", final_reads_pos,
                        "final reads need a quiet period longer than the timeout: they take "
                        "the last " + format_duration(workload.timeout) +
                            " of the run, after the replicas have settled; set workload.quiet "
                            "above " + format_duration(workload.timeout) + " (it is " +
                            format_duration(workload.quiet) + ")"});
    return problems;  // the fault checks below measure against the quiet period
  }
  const std::uint64_t reads = std::uint64_t{scenario.cluster.nodes} * workload.keys;
  if (reads > kMaxFinalReads) {
    problems.push_back({"", final_reads_pos,
                        "final reads would be " + std::to_string(reads) + " reads (" +
                            std::to_string(scenario.cluster.nodes) + " nodes x " +
                            std::to_string(workload.keys) + " keys); at most " +
                            std::to_string(kMaxFinalReads)});
  }
  const Time quiet_at = quiet_start(scenario);
  const Time final_at = final_reads_start(scenario);
  check_scheduled(scenario, quiet_at, final_at, problems);
  check_nemesis(scenario, quiet_at, final_at, problems);
  return problems;
}

}  // namespace capsim
