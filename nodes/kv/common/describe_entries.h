// How replication messages show the log entries they carry in the trace: the index range and
// the first few entries, so a line stays short however many entries a message holds.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace capsim::kv {

// The entries a trace line shows before "+N more".
constexpr std::size_t kEntriesShown = 4;

// " heartbeat" for no entries, else " entries 3..9 [a, b, c, d, +3 more]". `Entry` has an
// `index` and a describe().
template <typename Entry>
std::string describe_entries(const std::vector<Entry>& entries) {
  if (entries.empty()) return " heartbeat";
  std::string text = " entries " + std::to_string(entries.front().index) + ".." +
                     std::to_string(entries.back().index) + " [";
  for (std::size_t i = 0; i < entries.size() && i < kEntriesShown; ++i) {
    if (i != 0) text += ", ";
    text += entries[i].describe();
  }
  if (entries.size() > kEntriesShown) {
    text += ", +" + std::to_string(entries.size() - kEntriesShown) + " more";
  }
  return text + "]";
}

}  // namespace capsim::kv
