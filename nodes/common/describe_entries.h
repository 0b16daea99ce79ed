// How replication messages show the log entries they carry in the trace: the index range and
// the first few entries, so a line stays short however many entries a message holds.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace capsim {

// The entries a trace line shows before "+N more".
constexpr std::size_t kEntriesShown = 4;

// " heartbeat" for no entries, else " entries 3..9 [a, b, c, d, +3 more]", each entry shown by
// `describe_one(entry)`. `Entry` has an `index`.
template <typename Entry, typename DescribeOne>
std::string describe_entries(const std::vector<Entry>& entries, DescribeOne describe_one) {
  if (entries.empty()) return " heartbeat";
  std::string text = " entries " + std::to_string(entries.front().index) + ".." +
                     std::to_string(entries.back().index) + " [";
  for (std::size_t i = 0; i < entries.size() && i < kEntriesShown; ++i) {
    if (i != 0) text += ", ";
    text += describe_one(entries[i]);
  }
  if (entries.size() > kEntriesShown) {
    text += ", +" + std::to_string(entries.size() - kEntriesShown) + " more";
  }
  return text + "]";
}

// The same, each entry shown by its describe().
template <typename Entry>
std::string describe_entries(const std::vector<Entry>& entries) {
  return describe_entries(entries, [](const Entry& entry) { return entry.describe(); });
}

}  // namespace capsim
