// `capsim check FILE`: every exit status, with small history files written for each test.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "check/check_test_support.h"
#include "sim/check/kv_history_generator.h"
#include "tools/commands/check.h"
#include "tools/temp_dir.h"

using namespace capsim;
using namespace capsim::tools;
using capsim::testing::edn_history;
using capsim::testing::TempDir;
using capsim::testing::write_file;

namespace {

// A write of 1 to k1 that completed, then a read of k1 that returned `read`.
std::string write_then_read_edn(const std::string& read) {
  return "{:process 0 :type :invoke :f :write :key \"k1\" :value 1 :time 1000000}\n"
         "{:process 0 :type :ok :f :write :key \"k1\" :value 1 :time 2000000}\n"
         "{:process 1 :type :invoke :f :read :key \"k1\" :value nil :time 3000000}\n"
         "{:process 1 :type :ok :f :read :key \"k1\" :value " +
         read + " :time 4000000}\n";
}

struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

Outcome check(const CheckOptions& options) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = check_command(options, out, err);
  return Outcome{status, out.str(), err.str()};
}

// Writes `text` to DIR/NAME and returns options that check it.
CheckOptions file(const TempDir& dir, const std::string& name, const std::string& text) {
  write_file(dir.path() / name, text);
  CheckOptions options;
  options.path = (dir.path() / name).string();
  return options;
}

}  // namespace

TEST_CASE("capsim check: a linearizable history exits 0 and says which model it chose") {
  // Our own history.jsonl format, model chosen from the operations.
  TempDir dir;
  const CheckOptions options =
      file(dir, "history.jsonl", edn_history(write_then_read_edn("1")).to_jsonl());
  const Outcome outcome = check(options);
  CHECK(outcome.status == 0);
  CHECK(outcome.err.empty());
  CHECK(outcome.out ==
        "history  " + options.path + ": 4 events, 2 operations\n"
        "model    kv (chosen from the operations read, write on keys; --model overrides it)\n"
        "verdict  linearizable\n"
        "\n"
        "All 2 operations can be ordered so that each takes effect between its invoke and its "
        "completion and the kv model accepts every result.\n");
}

TEST_CASE("capsim check: a violation exits 1 with an explanation a student can follow") {
  // An EDN history (format from the extension) whose read misses a completed write.
  TempDir dir;
  CheckOptions options = file(dir, "h.edn", write_then_read_edn("nil"));
  options.model = "kv";
  const Outcome outcome = check(options);
  CHECK(outcome.status == 1);
  CHECK(outcome.out ==
        "history  " + options.path + ": 4 events, 2 operations\n"
        "model    kv (given with --model)\n"
        "verdict  not linearizable\n"
        "\n"
        "read on key k1 by process 1 returned nil [event 2, 0.003s to 0.004s, ok] cannot be "
        "linearized.\n"
        "Before it began at 0.003s, the write 1 on key k1 by process 0 [event 0, 0.001s to "
        "0.002s, ok] had taken effect, and no operation writes nil, so the register could no "
        "longer hold nil; yet it returned nil.\n"
        "The operations that show it (history events):\n"
        "  event 0: write 1 on key k1 by process 0 (0.001s to 0.002s)\n"
        "  event 2: read on key k1 by process 1 returned nil (0.003s to 0.004s)\n");
  // --json gives the same verdict as one object, with the structured violation.
  options.json = true;
  const Outcome json = check(options);
  CHECK(json.status == 1);
  const nlohmann::json parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["verdict"] == "not linearizable");
  CHECK(parsed["unplaceable"]["index"] == 2);
  CHECK(parsed["file"] == options.path);
}

TEST_CASE("capsim check: bad input exits 2 naming the file and line") {
  // A malformed line, a model that cannot take an operation, unknown flags' values, and a
  // name without a known extension.
  TempDir dir;
  const CheckOptions bad_line =
      file(dir, "bad.jsonl",
           "{\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k1\"}\n"
           "{\"time\":2,\"process\":0,\"type\":\"ok\",\"key\":\"k1\"}\n");
  Outcome outcome = check(bad_line);
  CHECK(outcome.status == 2);
  CHECK(outcome.out.empty());
  CHECK(outcome.err == bad_line.path + ":2: error: missing field 'f'\n");

  CheckOptions wrong_model =
      file(dir, "h.jsonl", "\n" + edn_history(write_then_read_edn("1")).to_jsonl());
  wrong_model.model = "counter";
  outcome = check(wrong_model);
  CHECK(outcome.status == 2);
  CHECK(outcome.err == wrong_model.path +
                           ":2: error: model counter has no operation 'write' (expected add, "
                           "increment or read)\n");

  CheckOptions typo = wrong_model;
  typo.model = "kvv";
  CHECK(check(typo).err == "capsim check: error: --model: unknown model 'kvv' (did you mean 'kv'?)\n");
  CheckOptions format = wrong_model;
  format.format = "xml";
  CHECK(check(format).err == "capsim check: error: --format: expected jsonl or edn, got 'xml'\n");
  CheckOptions timeout = wrong_model;
  timeout.timeout = "0s";
  CHECK(check(timeout).status == 2);
  CHECK(check(timeout).err ==
        "capsim check: error: --timeout: the timeout must be greater than 0, got 0s\n");

  const CheckOptions unknown_extension = file(dir, "history.txt", "");
  outcome = check(unknown_extension);
  CHECK(outcome.status == 2);
  CHECK(outcome.err == "capsim check: error: cannot tell the format of " + unknown_extension.path +
                           " from its name (expected .jsonl or .edn): give --format jsonl or "
                           "--format edn\n");

  CheckOptions missing;
  missing.path = (dir.path() / "missing.jsonl").string();
  outcome = check(missing);
  CHECK(outcome.status == 2);
  CHECK(outcome.err == missing.path + ": error: cannot read the file\n");

  CheckOptions unknown_ops = file(dir, "ops.edn", "{:process 0 :type :invoke :f :fly}\n");
  outcome = check(unknown_ops);
  CHECK(outcome.status == 2);
  CHECK(outcome.err.starts_with(unknown_ops.path +
                                ": error: cannot tell which model the operations fly call for; "
                                "give one with --model (one of: cas-register, counter,"));
}

TEST_CASE("capsim check: numbers past a double and text that is not UTF-8 exit 2 at their place") {
  // Neither may abort the command: a jsonl number too large for a double, and an EDN history
  // whose operations hold a raw 0xff byte or half a surrogate pair (which used to abort when
  // the explanation was written as JSON), are bad input with a position, in both outputs.
  TempDir dir;
  CheckOptions huge = file(dir, "huge.jsonl",
                           "{\"time\":1e400,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n");
  Outcome outcome = check(huge);
  CHECK(outcome.status == 2);
  CHECK(outcome.err == huge.path + ":1:9: error: the number 1e400 is too large: beyond the range "
                                   "of a 64-bit floating-point number\n");
  for (const bool json : {false, true}) {
    CheckOptions raw = file(dir, "raw.edn", write_then_read_edn("\"a\xff\""));
    raw.json = json;
    outcome = check(raw);
    CHECK(outcome.status == 2);
    CHECK(outcome.out.empty());
    CHECK(outcome.err == raw.path + ":4:51: error: the file is not valid UTF-8: byte 0xff\n");
    CheckOptions half = file(dir, "half.edn", write_then_read_edn("\"\\ud800\""));
    half.json = json;
    outcome = check(half);
    CHECK(outcome.status == 2);
    CHECK(outcome.err == half.path + ":4:50: error: '\\ud800' is half of a UTF-16 surrogate pair "
                                     "without its other half: not a character\n");
  }
  // A whole pair is a character like any other, in a violation's JSON explanation too.
  CheckOptions emoji = file(dir, "emoji.edn", write_then_read_edn("\"\\ud83d\\ude00\""));
  emoji.json = true;
  outcome = check(emoji);
  CHECK(outcome.status == 1);
  CHECK(outcome.out.find("\xf0\x9f\x98\x80") != std::string::npos);
}

TEST_CASE("capsim check: a completion earlier than its invoke exits 2 with the event's line") {
  // Such a history cannot have happened; checking it would judge nonsense.
  TempDir dir;
  const CheckOptions options =
      file(dir, "backwards.jsonl",
           "{\"time\":5000,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k1\","
           "\"value\":1}\n"
           "{\"time\":4000,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k1\","
           "\"value\":1}\n");
  const Outcome outcome = check(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.out.empty());
  CHECK(outcome.err == options.path + ":2: error: process 0's write completes (ok) at time 4000, "
                                      "before its invoke at time 5000 on line 1: an operation "
                                      "cannot end before it starts\n");
}

TEST_CASE("capsim check: --format overrides the extension") {
  // An EDN history in a file named .jsonl is read as EDN when told so.
  TempDir dir;
  CheckOptions options = file(dir, "really-edn.jsonl", write_then_read_edn("1"));
  CHECK(check(options).status == 2);
  options.format = "edn";
  CHECK(check(options).status == 0);
}

TEST_CASE("capsim check: a search that runs out of time exits 3 and says so") {
  // A long single-key history and a budget of one nanosecond: the verdict is unknown, the
  // output says the budget ran out, and nothing is guessed.
  TempDir dir;
  Rng rng(3);
  KvHistorySpec spec;
  spec.operations = 20'000;
  spec.keys = 1;
  CheckOptions options = file(dir, "long.jsonl", generate_kv_history(rng, spec).to_jsonl());
  options.timeout = "1ns";
  const Outcome outcome = check(options);
  CHECK(outcome.status == 3);
  CHECK(outcome.out.find("verdict  unknown: no verdict within the time budget of 1ns "
                         "(--timeout); the history may or may not be linearizable\n") !=
        std::string::npos);
  CHECK(outcome.out.find("The check was stopped before it reached a verdict") != std::string::npos);
}
