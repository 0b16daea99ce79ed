// Reading history files from disk, in either format: Jepsen's EDN or our history.jsonl.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sim/check/edn_reader.h"
#include "sim/diagnostics.h"
#include "sim/history.h"

namespace capsim {

enum class HistoryFormat { kJsonl, kEdn };

// Reads the whole file at `path` into `text`. Reports "FILE: error: cannot read the file" or
// "FILE: error: the file is larger than N MiB" and returns false on failure.
bool read_text_file(const std::string& path, std::size_t max_bytes, std::string& text,
                    Diagnostics& diagnostics);

// Reads the history at `path` in `format`. `diagnostics` should name `path`. A history.jsonl is
// read a line at a time, never held whole; an EDN file is held only while it is parsed. The
// problems reported are those of read_text_file() followed by the reader's.
std::optional<History> read_history_file(const std::string& path, HistoryFormat format,
                                         Diagnostics& diagnostics,
                                         HistoryReadStats* stats = nullptr);

// The same, EDN when the name ends in ".edn", history.jsonl otherwise.
std::optional<History> read_history_file(const std::string& path, Diagnostics& diagnostics,
                                         HistoryReadStats* stats = nullptr);

}  // namespace capsim
