// The trace: every engine event of a run, one JSON object a line, in the order they happened.
//
//   {"t":1500000,"ev":"send","id":12,"from":"n1","to":"n2","kind":"pb.replicate","msg":"..."}
//   {"t":1505000,"ev":"deliver","id":12,"from":"n1","to":"n2","kind":"pb.replicate"}
//   {"t":1505000,"ev":"drop","id":13,"from":"n1","to":"n3","kind":"pb.replicate","cause":"partition"}
//   {"t":2000000,"ev":"timer","node":"n1","name":"heartbeat"}
//   {"t":10000000000,"ev":"partition","desc":"[n1 n2] | [n3 n4 n5]","groups":[["n1","n2"],["n3","n4","n5"]]}
//   {"t":...,"ev":"note","node":"n1","text":"pb: became primary for epoch 2"}
//   {"t":...,"ev":"op","client":"c1","node":"n2","process":3,"type":"invoke","f":"write","key":"k1","value":7}
// `t` is virtual nanoseconds. The FNV-1a hash of all lines (each with its newline) is the run's
// fingerprint: two runs of the same scenario and seed must give the same hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace capsim {

// Where trace lines go. Implementations: a file writer (tools/), a string (tests).
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  // One line, without its newline.
  virtual void write_line(std::string_view line) = 0;
};

// Collects lines into a string (tests, golden traces).
class StringTraceSink final : public TraceSink {
 public:
  void write_line(std::string_view line) override {
    text_.append(line);
    text_.push_back('\n');
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Hashes every line and forwards it to an optional sink.
class Trace {
 public:
  explicit Trace(TraceSink* sink) : sink_(sink) {}
  // Requires: `line` is one JSON object without a newline.
  void emit(std::string_view line);
  std::uint64_t hash() const { return hash_; }
  std::uint64_t lines() const { return lines_; }
  // False when nothing consumes the lines (benchmarks): callers may skip building them, and
  // the hash then covers only what was emitted.
  bool enabled() const { return enabled_; }
  void set_enabled(bool enabled) { enabled_ = enabled; }

 private:
  TraceSink* sink_;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
  std::uint64_t lines_ = 0;
  bool enabled_ = true;
};

// "0x1f2e3d4c5b6a7988": how hashes are shown everywhere.
std::string format_hash(std::uint64_t hash);

}  // namespace capsim
