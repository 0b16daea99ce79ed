// Errors in user input (scenario files, command-line overrides, history files), collected so
// that every problem in a file is reported at once, each as `FILE:LINE:COL: error: TEXT`.
#pragma once

#include <string>
#include <vector>

namespace capsim {

// A place in an input, counted from 1. line == 0 means "the whole input" (no position).
// `origin` names the input when it is not the file being read, e.g. "--set cluster.nodes=9".
struct SourcePos {
  int line = 0;
  int column = 0;
  std::string origin;
  // Whether it names something the user wrote (in the file or in an override), not a default.
  bool written() const { return line != 0 || !origin.empty(); }
};

struct Diagnostic {
  std::string file;
  SourcePos pos;
  std::string message;

  // "scenario.yaml:14:9: error: unknown key 'nodez' (did you mean 'nodes'?)".
  std::string format() const;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(const SourcePos& pos, std::string message);
  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  const std::string& file() const { return file_; }
  // Every error, one a line, in the order found.
  std::string format() const;

 private:
  std::string file_;
  std::vector<Diagnostic> errors_;
};

// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo;
// "" otherwise. Used for "did you mean" hints.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// "a, b or c".
std::string join_choices(const std::vector<std::string>& choices);

}  // namespace capsim
