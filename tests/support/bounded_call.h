// Running code that might hang or eat memory on bad input, without hanging the suite: the call
// runs in a child process with a time limit (and, outside sanitizer builds, a memory limit),
// and hands its answer back as text through a pipe.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <string>

namespace capsim::testing {

struct BoundedOutcome {
  bool finished = false;  // the call returned within the limits
  std::string text;       // what it returned, when it finished
  std::string failure;    // how it ended otherwise: "killed by signal 14 (over 5s or 1 GiB)"
};

// Runs `call` in a child process that gets `seconds` of wall time and, where the build allows
// it, 1 GiB of address space; a child over either limit is killed.
inline BoundedOutcome bounded_call(const std::function<std::string()>& call,
                                   unsigned seconds = 5) {
  int fds[2];
  if (::pipe(fds) != 0) return {false, "", "pipe() failed"};
  const pid_t child = ::fork();
  if (child < 0) return {false, "", "fork() failed"};
  if (child == 0) {
    ::close(fds[0]);
    ::alarm(seconds);
#if !defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer reserves terabytes of address space up front; there the time limit
    // alone bounds the child.
    const rlimit limit{rlim_t{1} << 30, rlim_t{1} << 30};
    ::setrlimit(RLIMIT_AS, &limit);
#endif
    std::string text;
    try {
      text = call();
    } catch (...) {
      ::_exit(3);
    }
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) ::_exit(4);
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  BoundedOutcome outcome;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) {
    outcome.text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    outcome.finished = true;
  } else if (WIFSIGNALED(status)) {
    outcome.failure = "killed by signal " + std::to_string(WTERMSIG(status)) + " (over " +
                      std::to_string(seconds) + "s or out of memory)";
  } else {
    outcome.failure = "exited with status " + std::to_string(WEXITSTATUS(status)) +
                      " (3: an exception, such as running out of memory)";
  }
  return outcome;
}

}  // namespace capsim::testing
