// The queue fields of the history format (sim/queue_fields.h): written by HistoryEvent, read
// back by the JSON Lines reader and from Jepsen-style EDN, and refused with a clear message
// when malformed.
#include <doctest/doctest.h>

#include <string>

#include "check/check_test_support.h"
#include "sim/check/jsonl_reader.h"
#include "sim/queue_fields.h"

using namespace capsim;
using capsim::testing::edn_history;

namespace {

std::string errors_of(std::string_view text) {
  Diagnostics diagnostics("history.jsonl");
  CHECK_FALSE(read_jsonl_history(text, diagnostics).has_value());
  return diagnostics.format();
}

std::string edn_errors_of(std::string_view text) {
  Diagnostics diagnostics("history.edn");
  CHECK_FALSE(read_edn_history(text, diagnostics).has_value());
  return diagnostics.format();
}

HistoryEvent event(std::uint64_t process, OpType type, std::string f, Value value, int time) {
  HistoryEvent e;
  e.process = process;
  e.type = type;
  e.f = std::move(f);
  e.value = std::move(value);
  e.time = Time{time};
  e.node = "b1";
  return e;
}

std::shared_ptr<const QueueFields> fields(QueueFields f) {
  return std::make_shared<const QueueFields>(std::move(f));
}

}  // namespace

TEST_CASE("queue history: every new field is written and read back unchanged") {
  // A send with queue, key and attempt; a receive whose ok carries delivery counts and
  // redelivered flags; a dead-letter with its reason. Written, read, written again: the same
  // text, and the same fields.
  History original;
  HistoryEvent send = event(1, OpType::kInvoke, "send", 412, 100);
  send.key = "customer-7";
  send.queue = fields({"orders", 2, {}, {}, ""});
  original.add(send);
  send.type = OpType::kOk;
  send.time = Time{200};
  original.add(send);
  HistoryEvent receive = event(5, OpType::kInvoke, "receive", Value(), 300);
  receive.queue = fields({"orders", 0, {}, {}, ""});
  original.add(receive);
  receive.type = OpType::kOk;
  receive.time = Time{400};
  receive.value = Value(Value::List{412, "m-2"});
  receive.queue = fields({"orders", 0, {1, 3}, {false, true}, ""});
  original.add(receive);
  HistoryEvent dead = event(9, OpType::kInvoke, "dead-letter", Value(Value::List{412}), 500);
  dead.queue = fields({"orders", 0, {}, {}, "delivery_limit"});
  original.add(dead);

  const std::string text = original.to_jsonl();
  CHECK(text.find("{\"index\":0,\"time\":100,\"process\":1,\"type\":\"invoke\",\"f\":\"send\","
                  "\"key\":\"customer-7\",\"value\":412,\"queue\":\"orders\",\"attempt\":2,"
                  "\"node\":\"b1\"}") == 0);
  CHECK(text.find("\"value\":[412,\"m-2\"],\"queue\":\"orders\",\"delivery_counts\":[1,3],"
                  "\"redelivered\":[false,true],\"node\":\"b1\"") != std::string::npos);
  CHECK(text.find("\"reason\":\"delivery_limit\"") != std::string::npos);
  Diagnostics diagnostics("history.jsonl");
  const auto read = read_jsonl_history(text, diagnostics);
  INFO(diagnostics.format());
  REQUIRE(read.has_value());
  CHECK(read->to_jsonl() == text);
  REQUIRE(read->events()[3].queue);
  CHECK(*read->events()[3].queue == *original.events()[3].queue);
  CHECK(read->events()[0].queue->attempt == 2);
  CHECK(read->events()[4].queue->reason == "delivery_limit");
}

TEST_CASE("queue history: events without queue fields are written as before") {
  // A kv event carries no queue fields, so its line is unchanged.
  History history;
  history.add(event(0, OpType::kInvoke, "write", 7, 1));
  CHECK(history.to_jsonl() ==
        "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":7,"
        "\"node\":\"b1\"}\n");
}

TEST_CASE("queue history: the reader shares equal queue fields between events") {
  // Every send to one queue holds one copy of its fields.
  std::string text;
  for (int i = 0; i < 4; ++i) {
    text += "{\"time\":" + std::to_string(i) + ",\"process\":" + std::to_string(i) +
            ",\"type\":\"invoke\",\"f\":\"send\",\"value\":" + std::to_string(i) +
            ",\"queue\":\"orders\"}\n";
  }
  Diagnostics diagnostics("history.jsonl");
  const auto history = read_jsonl_history(text, diagnostics);
  REQUIRE(history.has_value());
  CHECK(history->events()[0].queue.get() == history->events()[3].queue.get());
}

TEST_CASE("queue history: malformed queue fields are refused at their line") {
  const std::string start = "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"receive\",";
  CHECK(errors_of(start + "\"value\":[1],\"delivery_counts\":[1,2]}") ==
        "history.jsonl:1: error: 'delivery_counts' has 2 entries but the value names 1 "
        "message: give one per message\n");
  CHECK(errors_of(start + "\"value\":[1],\"delivery_counts\":[0]}") ==
        "history.jsonl:1: error: 'delivery_counts' must be an array of integers from 1 to "
        "4294967295\n");
  CHECK(errors_of(start + "\"value\":[1,2],\"redelivered\":[true,1]}") ==
        "history.jsonl:1: error: 'redelivered' must be an array of true and false\n");
  CHECK(errors_of(start + "\"value\":[1],\"queue\":7}") ==
        "history.jsonl:1: error: 'queue' must be a string\n");
  CHECK(errors_of(start + "\"value\":1,\"attempt\":0}") ==
        "history.jsonl:1: error: 'attempt' must be an integer from 1 to 4294967295, got 0\n");
  CHECK(errors_of(start + "\"value\":1,\"atempt\":1}") ==
        "history.jsonl:1: error: unknown field 'atempt' (did you mean 'attempt'?)\n");
}

TEST_CASE("queue history: EDN operations carry the same fields, Clojure-style") {
  const History history = edn_history(
      "{:process 1 :type :invoke :f :send :value 412 :queue :orders :attempt 2 :key \"k\"}\n"
      "{:process 1 :type :ok :f :send :value 412 :queue \"orders\" :attempt 2}\n"
      "{:process 2 :type :invoke :f :poll :value nil :queue orders}\n"
      "{:process 2 :type :ok :f :poll :value [412 413] :delivery-counts [1 2] "
      ":redelivered [false true]}\n"
      "{:process 3 :type :invoke :f :dead-letter :value [413] :reason :expired}\n");
  const auto& events = history.events();
  REQUIRE(events[0].queue);
  CHECK(events[0].queue->queue == "orders");
  CHECK(events[0].queue->attempt == 2);
  CHECK(events[2].queue->queue == "orders");
  CHECK(events[3].queue->delivery_counts == std::vector<std::uint32_t>{1, 2});
  CHECK(events[3].queue->redelivered == std::vector<bool>{false, true});
  CHECK(events[4].queue->reason == "expired");
  CHECK_FALSE(edn_history("{:process 1 :type :invoke :f :enqueue :value 1}").events()[0].queue);
}

TEST_CASE("queue history: malformed EDN queue fields are refused at their place") {
  CHECK(edn_errors_of("{:process 1 :type :invoke :f :send :value 1 :attempt -1}") ==
        "history.edn:1:54: error: :attempt must be an integer from 1 to 4294967295, got the "
        "integer -1\n");
  CHECK(edn_errors_of("{:process 1 :type :ok :f :poll :value [1] :delivery-counts [1 2]}") ==
        "history.edn:1:1: error: 'delivery_counts' has 2 entries but the value names 1 message: "
        "give one per message\n");
  CHECK(edn_errors_of("{:process 1 :type :ok :f :poll :value [1] :redelivered [nil]}") ==
        "history.edn:1:56: error: :redelivered must be a vector of true and false\n");
}
