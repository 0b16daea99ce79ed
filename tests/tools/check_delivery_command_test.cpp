// `capsim check FILE` on queue histories: the delivery check is chosen for them, its verdict
// sets the exit status, --check, --guarantees and --drained change what is judged, and bad
// input exits 2 at its line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "support/queue_history_builder.h"
#include "tools/commands/check.h"
#include "tools/temp_dir.h"

using namespace capsim;
using namespace capsim::tools;
using capsim::testing::QueueHistoryBuilder;
using capsim::testing::TempDir;
using capsim::testing::write_file;

namespace {

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

CheckOptions file(const TempDir& dir, const std::string& name, const std::string& text) {
  write_file(dir.path() / name, text);
  CheckOptions options;
  options.path = (dir.path() / name).string();
  return options;
}

// 412 acknowledged by b1 and never delivered; 413 delivered; a drain then finds the queue
// empty: 412 is lost.
std::string lost_history() {
  QueueHistoryBuilder q;
  q.on_queue("orders");
  q.send(7, 412, 10000, 10203).send(7, 413, 10300, 10400);
  q.receive(4, {413}, 11000, 11010);
  q.drain(20, {}, 27000, 28000);
  return q.history().to_jsonl();
}

constexpr const char* kEnqueueDequeue =
    "{:process 0 :type :invoke :f :enqueue :value 1}\n"
    "{:process 0 :type :ok :f :enqueue :value 1}\n"
    "{:process 0 :type :invoke :f :enqueue :value 2}\n"
    "{:process 0 :type :ok :f :enqueue :value 2}\n"
    "{:process 1 :type :invoke :f :dequeue :value nil}\n"
    "{:process 1 :type :ok :f :dequeue :value 1}\n";

}  // namespace

TEST_CASE("capsim check: a queue history is judged for delivery; a loss exits 1") {
  TempDir dir;
  const CheckOptions options = file(dir, "history.jsonl", lost_history());
  const Outcome outcome = check(options);
  CHECK(outcome.status == kCheckInvalid);
  CHECK(outcome.err.empty());
  CHECK(outcome.out.find("history     " + options.path + ": 8 events\n"
                         "check       delivery (chosen because the history sends, receives or "
                         "drains messages; --check linearizable overrides it)\n"
                         "verdict     fail  [judged 2 messages (2 acknowledged, 1 delivered) for "
                         "at-least-once and no-phantoms; needs at least 1]\n"
                         "guarantees  at-least-once fail, at-most-once pass, exactly-once-effect "
                         "n/a, no-phantoms pass, per-key-order n/a\n"
                         "measured    messages 2  acknowledged 2") == 0);
  CHECK(outcome.out.find("\nmessage 412 to orders, sent by process 7 (attempt 1 acknowledged by "
                         "b1 at 10.203s), was never delivered; the drain of orders by process 20 "
                         "finished at 28.000s [history events 0, 1].\n") != std::string::npos);
}

TEST_CASE("capsim check: the text shows the backlog, and leaves out a drain that never came") {
  // lost_history(): message 412 is acknowledged and never delivered, so the backlog never
  // empties and there is no backlog_drain_ns to show.
  TempDir dir;
  const Outcome outcome = check(file(dir, "history.jsonl", lost_history()));
  const std::size_t measured = outcome.out.find("measured    ");
  REQUIRE(measured != std::string::npos);
  const std::string line = outcome.out.substr(measured, outcome.out.find('\n', measured) - measured);
  CHECK(line.find("  backlog_peak ") != std::string::npos);
  CHECK(line.find("  backlog_peak_at_ns ") != std::string::npos);
  CHECK(line.find("backlog_drain_ns") == std::string::npos);
}

TEST_CASE("capsim check: --guarantees picks what the verdict judges, --json prints it all") {
  TempDir dir;
  CheckOptions options = file(dir, "history.jsonl", lost_history());
  options.guarantees = "at-most-once,no-phantoms";
  options.json = true;
  const Outcome outcome = check(options);
  CHECK(outcome.status == kCheckValid);
  const auto json = nlohmann::json::parse(outcome.out);
  CHECK(json.at("check") == "delivery");
  CHECK(json.at("verdict") == "pass");
  CHECK(json.at("guarantees").at("at-least-once") == "fail");
  CHECK(json.at("metrics").at("lost") == 1);
  CHECK(json.at("details").at("lost")[0].at("id") == 412);

  options.guarantees = "at-most-twice";
  const Outcome bad = check(options);
  CHECK(bad.status == kCheckBadInput);
  CHECK(bad.err ==
        "capsim check: error: --guarantees: unknown guarantee 'at-most-twice' (did you mean "
        "'at-most-once'?)\n");
}

TEST_CASE("capsim check: Jepsen enqueue/dequeue stays linearizability unless --check says") {
  // Without a drain, an enqueue/dequeue history is what the fifo-queue model checks, as before;
  // --check delivery judges it for delivery, and --drained reads its end as the drain.
  TempDir dir;
  CheckOptions options = file(dir, "history.edn", kEnqueueDequeue);
  const Outcome linear = check(options);
  CHECK(linear.status == kCheckValid);
  CHECK(linear.out.find("model    fifo-queue") != std::string::npos);

  options.check = "delivery";
  const Outcome undrained = check(options);
  CHECK(undrained.status == kCheckUnknown);  // 2 may still be queued
  CHECK(undrained.out.find("verdict     unknown") != std::string::npos);

  options.drained = true;
  const Outcome drained = check(options);
  CHECK(drained.status == kCheckInvalid);  // 2 was lost
  CHECK(drained.out.find("lost 1") != std::string::npos);

  options.model = "fifo-queue";
  const Outcome both = check(options);
  CHECK(both.status == kCheckBadInput);
  CHECK(both.err == "capsim check: error: --model chooses a linearizability model; it does not "
                    "apply to --check delivery\n");
  options.model.reset();
  options.check = "speed";
  CHECK(check(options).err ==
        "capsim check: error: --check: expected linearizable or delivery, got 'speed'\n");
}

TEST_CASE("capsim check: a malformed queue history exits 2 at the event's line") {
  TempDir dir;
  const CheckOptions options =
      file(dir, "history.jsonl",
           "{\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"send\",\"value\":1}\n"
           "\n"
           "{\"time\":2,\"process\":0,\"type\":\"ok\",\"f\":\"receive\",\"value\":[1]}\n");
  const Outcome outcome = check(options);
  CHECK(outcome.status == kCheckBadInput);
  CHECK(outcome.out.empty());
  CHECK(outcome.err == options.path +
                           ":3: error: process 0's send (invoked at event 0) completes as "
                           "receive\n");
}

TEST_CASE("capsim check: a queue history with nothing to judge exits 3 and says why") {
  TempDir dir;
  QueueHistoryBuilder q;
  q.drain(9, {}, 0, 10);
  const Outcome outcome = check(file(dir, "history.jsonl", q.history().to_jsonl()));
  CHECK(outcome.status == kCheckUnknown);
  CHECK(outcome.out.find("verdict     n/a") != std::string::npos);
  CHECK(outcome.out.find("name no message") != std::string::npos);
}
