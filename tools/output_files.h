// Output files that appear whole or not at all.
//
// A run writes summary.json, history.jsonl and trace.jsonl. A reader (a sweep, a report, a
// person) must never see half a file, even when the disk fills or the process is killed: each
// file is written under a temporary name in its final folder, flushed to disk, then renamed
// into place, which POSIX makes atomic within one file system.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "sim/trace.h"

namespace capsim::tools {

class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();  // removes the temporary unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Creates the temporary ".NAME.tmp-XXXXXX" next to `path`. On failure returns false and sets
  // `error` to "cannot write PATH: reason".
  bool open(const std::filesystem::path& path, std::string& error);

  // Buffered. The first failure is remembered and reported by commit(); later writes are
  // ignored, so a caller may write freely and check once.
  void write(std::string_view data);

  // Flushes, syncs, closes and renames the temporary to the final path. On any failure removes
  // the temporary, returns false and sets `error` to "cannot write PATH: reason".
  // Requires: open() succeeded and commit() was not called yet.
  bool commit(std::string& error);

  // Closes and removes the temporary without committing: nothing appears at the final path.
  // Safe to call more than once.
  void discard();

  const std::filesystem::path& path() const { return path_; }

 private:
  void flush_buffer();

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::string buffer_;
  int first_errno_ = 0;
  bool committed_ = false;
};

// Writes `content` to `path` through an AtomicFile. On failure sets `error` as AtomicFile does.
bool write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           std::string& error);

// Trace lines into an AtomicFile, one a line.
class FileTraceSink final : public TraceSink {
 public:
  explicit FileTraceSink(AtomicFile& file) : file_(file) {}
  void write_line(std::string_view line) override;

 private:
  AtomicFile& file_;
};

}  // namespace capsim::tools
