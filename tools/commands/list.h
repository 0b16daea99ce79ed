// `capsim list`: what there is to run. The scenarios under a folder (recursively, sorted by
// path), each with its name and the first sentence of its description; then the protocols with
// every option; the workloads, fault kinds, partition shapes and latency distributions a
// scenario may name.
#pragma once

#include <iosfwd>
#include <string>

namespace capsim::tools {

struct ListOptions {
  std::string dir;  // the scenarios folder; empty: scenarios/ of the source tree
};

// The scenarios folder of the source tree this program was built from.
std::string default_scenarios_dir();

// Prints the listing to `out`. A scenario that does not load is listed with
// "(does not load: LINE:COL: first error)". Returns 0, or 2 when `dir` is not a folder.
int list_command(const ListOptions& options, std::ostream& out, std::ostream& err);

// The first sentence of a description, on one line: line breaks become spaces and the text
// stops after the first ". " (or at the end), cut to at most `max_chars` with "...".
std::string first_sentence(const std::string& description, std::size_t max_chars = 100);

}  // namespace capsim::tools
