#include "tools/output_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace capsim::tools {
namespace {

// Large enough that a trace of millions of lines costs few system calls.
constexpr std::size_t kBufferBytes = 1 << 20;

std::string cannot_write(const std::filesystem::path& path, int error_number) {
  return "cannot write " + path.string() + ": " + std::strerror(error_number);
}

// Makes the rename itself durable. Failing here loses nothing a reader could see, so errors
// are ignored: the file is complete either way.
void sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

AtomicFile::~AtomicFile() {
  if (!committed_) discard();
}

bool AtomicFile::open(const std::filesystem::path& path, std::string& error) {
  path_ = path;
  const std::filesystem::path name = "." + path.filename().string() + ".tmp-XXXXXX";
  std::string pattern = (path.parent_path() / name).string();
  std::vector<char> writable(pattern.begin(), pattern.end());
  writable.push_back('\0');
  fd_ = ::mkstemp(writable.data());
  if (fd_ < 0) {
    error = cannot_write(path, errno);
    return false;
  }
  // mkstemp creates the file private to its owner; outputs are ordinary files, so give them
  // the permissions any new file would get.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  temporary_ = writable.data();
  buffer_.reserve(kBufferBytes);
  return true;
}

void AtomicFile::write(std::string_view data) {
  if (first_errno_ != 0 || fd_ < 0) return;
  if (buffer_.size() + data.size() > kBufferBytes) flush_buffer();
  if (data.size() >= kBufferBytes) {
    buffer_.assign(data);
    flush_buffer();
  } else {
    buffer_.append(data);
  }
}

void AtomicFile::flush_buffer() {
  std::size_t done = 0;
  while (done < buffer_.size() && first_errno_ == 0) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno != EINTR) first_errno_ = errno;
      continue;
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

bool AtomicFile::commit(std::string& error) {
  if (fd_ < 0) {
    error = cannot_write(path_, EBADF);
    return false;
  }
  flush_buffer();
  if (first_errno_ == 0 && ::fsync(fd_) != 0) first_errno_ = errno;
  if (::close(fd_) != 0 && first_errno_ == 0) first_errno_ = errno;
  fd_ = -1;
  if (first_errno_ == 0 && std::rename(temporary_.c_str(), path_.c_str()) != 0)
    first_errno_ = errno;
  if (first_errno_ != 0) {
    error = cannot_write(path_, first_errno_);
    discard();
    return false;
  }
  committed_ = true;
  sync_directory(path_.parent_path());
  return true;
}

void AtomicFile::discard() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temporary_.empty()) {
    ::unlink(temporary_.c_str());
    temporary_.clear();
  }
}

bool write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           std::string& error) {
  AtomicFile file;
  if (!file.open(path, error)) return false;
  file.write(content);
  return file.commit(error);
}

void FileTraceSink::write_line(std::string_view line) {
  file_.write(line);
  file_.write("\n");
}

}  // namespace capsim::tools
