#include "sim/check/history_file.h"

#include <cstdio>
#include <memory>

#include "sim/check/edn_parser.h"
#include "sim/check/jsonl_reader.h"

namespace capsim {
namespace {

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

std::string too_large(std::size_t max_bytes) {
  return "the file is larger than " + std::to_string(max_bytes / (1024 * 1024)) + " MiB";
}

// Feeds the file's lines to a JsonlHistoryReader as they arrive. The reader's problems wait in
// their own Diagnostics: a file that cannot be read to its end, or is too large, reports only
// that, as when the whole text is read first.
std::optional<History> stream_jsonl_file(const std::string& path, Diagnostics& diagnostics,
                                         HistoryReadStats* stats) {
  const File file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    diagnostics.error(SourcePos{}, "cannot read the file");
    return std::nullopt;
  }
  Diagnostics problems(diagnostics.file());
  JsonlHistoryReader reader(problems);
  std::string partial;  // the start of a line whose end has not been read yet
  std::size_t total = 0;
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    if (total + got > kMaxJsonlBytes) {
      diagnostics.error(SourcePos{}, too_large(kMaxJsonlBytes));
      return std::nullopt;
    }
    total += got;
    std::string_view chunk(buffer, got);
    for (std::size_t end = chunk.find('\n'); end != std::string_view::npos;
         end = chunk.find('\n')) {
      if (partial.empty()) {
        reader.add_line(chunk.substr(0, end));
      } else {
        partial.append(chunk.substr(0, end));
        reader.add_line(partial);
        partial.clear();
      }
      chunk.remove_prefix(end + 1);
    }
    partial.append(chunk);
  }
  if (std::ferror(file.get()) != 0) {
    diagnostics.error(SourcePos{}, "cannot read the file");
    return std::nullopt;
  }
  if (!partial.empty()) reader.add_line(partial);
  std::optional<History> history = reader.finish(stats);
  for (const Diagnostic& problem : problems.errors()) {
    diagnostics.error(problem.pos, problem.message);
  }
  return history;
}

}  // namespace

bool read_text_file(const std::string& path, std::size_t max_bytes, std::string& text,
                    Diagnostics& diagnostics) {
  const File file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    diagnostics.error(SourcePos{}, "cannot read the file");
    return false;
  }
  text.clear();
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    if (text.size() + got > max_bytes) {
      diagnostics.error(SourcePos{}, too_large(max_bytes));
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

std::optional<History> read_history_file(const std::string& path, HistoryFormat format,
                                         Diagnostics& diagnostics, HistoryReadStats* stats) {
  if (format == HistoryFormat::kJsonl) return stream_jsonl_file(path, diagnostics, stats);
  std::string text;
  if (!read_text_file(path, kMaxEdnBytes, text, diagnostics)) return std::nullopt;
  return read_edn_history(text, diagnostics, stats);
}

std::optional<History> read_history_file(const std::string& path, Diagnostics& diagnostics,
                                         HistoryReadStats* stats) {
  const bool is_edn = path.size() >= 4 && path.compare(path.size() - 4, 4, ".edn") == 0;
  return read_history_file(path, is_edn ? HistoryFormat::kEdn : HistoryFormat::kJsonl,
                           diagnostics, stats);
}

}  // namespace capsim
