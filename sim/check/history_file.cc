#include "sim/check/history_file.h"

#include <cstdio>
#include <memory>

#include "sim/check/edn_parser.h"
#include "sim/check/jsonl_reader.h"

namespace capsim {

bool read_text_file(const std::string& path, std::size_t max_bytes, std::string& text,
                    Diagnostics& diagnostics) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) {
    diagnostics.error(SourcePos{}, "cannot read the file");
    return false;
  }
  text.clear();
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    if (text.size() + got > max_bytes) {
      diagnostics.error(SourcePos{}, "the file is larger than " +
                                         std::to_string(max_bytes / (1024 * 1024)) + " MiB");
      return false;
    }
    text.append(buffer, got);
  }
  if (std::ferror(file.get()) != 0) {
    diagnostics.error(SourcePos{}, "cannot read the file");
    return false;
  }
  return true;
}

std::optional<History> read_history_file(const std::string& path, Diagnostics& diagnostics,
                                         HistoryReadStats* stats) {
  const bool is_edn = path.size() >= 4 && path.compare(path.size() - 4, 4, ".edn") == 0;
  std::string text;
  if (!read_text_file(path, is_edn ? kMaxEdnBytes : kMaxJsonlBytes, text, diagnostics)) {
    return std::nullopt;
  }
  return is_edn ? read_edn_history(text, diagnostics, stats)
                : read_jsonl_history(text, diagnostics, stats);
}

}  // namespace capsim
