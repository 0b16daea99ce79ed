#include <doctest/doctest.h>

#include <string>

#include "sim/check/history_file.h"
#include "sim/check/jsonl_reader.h"
#include "tools/temp_dir.h"

namespace capsim {
namespace {

std::string errors_of(std::string_view text) {
  Diagnostics diagnostics("history.jsonl");
  read_jsonl_history(text, diagnostics);
  return diagnostics.format();
}

TEST_CASE("jsonl reader: reads our history format back") {
  // What History::to_jsonl writes, read_jsonl_history reads into the same events.
  History original;
  HistoryEvent invoke;
  invoke.time = Time{1'500'000};
  invoke.process = 3;
  invoke.f = "cas";
  invoke.key = "k1";
  invoke.value = Value(Value::List{Value(), "x"});
  original.add(invoke);
  HistoryEvent done = invoke;
  done.type = OpType::kFail;
  done.time = Time{1'730'000};
  done.node = "n2";
  done.error = "not primary";
  original.add(done);

  Diagnostics diagnostics("history.jsonl");
  const auto history = read_jsonl_history(original.to_jsonl(), diagnostics);
  INFO(diagnostics.format());
  REQUIRE(history.has_value());
  CHECK(history->to_jsonl() == original.to_jsonl());
}

TEST_CASE("jsonl reader: a fail that answered keeps its marker; other events may not carry it") {
  // "answer":true is what tells a cas mismatch (a response) from a refusal when availability is
  // measured from a file, so it must survive the round trip, and only a fail may say it.
  Diagnostics diagnostics("history.jsonl");
  const auto history = read_jsonl_history(
      "{\"time\":5,\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"value\":[1,2]}\n"
      "{\"time\":9,\"process\":0,\"type\":\"fail\",\"f\":\"cas\",\"value\":[1,2],"
      "\"error\":\"cas mismatch\",\"answer\":true}\n",
      diagnostics);
  INFO(diagnostics.format());
  REQUIRE(history.has_value());
  CHECK_FALSE(history->events()[0].answered);
  CHECK(history->events()[1].answered);
  CHECK(history->events()[1].to_json().find(",\"answer\":true") != std::string::npos);

  CHECK(errors_of("{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"answer\":true}\n") ==
        "history.jsonl:1: error: 'answer' marks a fail that answered the operation; this event "
        "is \"ok\"\n");
  CHECK(errors_of("{\"time\":1,\"process\":0,\"type\":\"fail\",\"f\":\"read\",\"answer\":1}\n") ==
        "history.jsonl:1: error: 'answer' must be true or false, got an integer\n");
}

TEST_CASE("jsonl reader: blank lines are skipped and optional fields may be absent") {
  // key, value, node, error and index are optional; events are indexed in file order.
  Diagnostics diagnostics("history.jsonl");
  const auto history = read_jsonl_history(
      "\n{\"time\":5,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n   \n"
      "{\"index\":7,\"time\":9,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"value\":[1,\"a\","
      "null],"
      "\"key\":null}\n",
      diagnostics);
  INFO(diagnostics.format());
  REQUIRE(history.has_value());
  REQUIRE(history->size() == 2);
  CHECK(history->events()[0].value.is_nil());
  CHECK(!history->events()[0].key.has_value());
  CHECK(history->events()[1].index == 1);
  CHECK(history->events()[1].value == Value(Value::List{1, "a", Value()}));
}

TEST_CASE("jsonl reader: each bad line is reported with its line number") {
  // Every problem in the file at once, worded for the person who wrote the file.
  CHECK(errors_of("{\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"\n"
                  "[1]\n"
                  "{\"time\":1,\"process\":0,\"type\":\"invoke\"}\n"
                  "{\"time\":1,\"process\":-1,\"type\":\"invoke\",\"f\":\"read\"}\n"
                  "{\"time\":1.5,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"start\",\"f\":\"read\"}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"vlaue\":1}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"value\":true}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"value\":{\"a\":1}}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":4}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":2}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"value\":"
                  "18446744073709551615}\n") ==
        "history.jsonl:1:49: error: invalid JSON\n"
        "history.jsonl:2: error: expected a JSON object, got an array\n"
        "history.jsonl:3: error: missing field 'f'\n"
        "history.jsonl:4: error: 'process' must be a non-negative integer, got -1\n"
        "history.jsonl:5: error: 'time' must be a non-negative integer, got 1.5\n"
        "history.jsonl:6: error: 'type' must be \"invoke\", \"ok\", \"fail\" or \"info\", got "
        "\"start\"\n"
        "history.jsonl:7: error: unknown field 'vlaue' (did you mean 'value'?)\n"
        "history.jsonl:8: error: 'value' may hold only null, integers, strings and arrays, got a "
        "boolean\n"
        "history.jsonl:9: error: 'value' may hold only null, integers, strings and arrays, got an "
        "object\n"
        "history.jsonl:10: error: 'key' must be a string, got an integer\n"
        "history.jsonl:11: error: 'f' must be a string, got an integer\n"
        "history.jsonl:12: error: 'value' holds an integer that does not fit in 64 bits\n");
}

TEST_CASE("jsonl reader: a number too large for a double is an error at its column") {
  // nlohmann's parser throws out_of_range, not parse_error, for 1e400; the reader reports it
  // like any bad line, with the column where the number starts, and goes on to the next line.
  CHECK(errors_of("{\"time\":1e400,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"value\":[1, -2e999]}\n"
                  "{\"time\":1,\"process\":0,\"type\":\"ok\"}\n") ==
        "history.jsonl:1:9: error: the number 1e400 is too large: beyond the range of a 64-bit "
        "floating-point number\n"
        "history.jsonl:2:58: error: the number -2e999 is too large: beyond the range of a 64-bit "
        "floating-point number\n"
        "history.jsonl:3: error: missing field 'f'\n");
}

TEST_CASE("jsonl reader: a completion earlier than its invoke is an error at its line") {
  // Process 0's read ends before it starts; process 1, interleaved, is in order; a completion
  // at the invoke's own time is fine. Each backwards completion is reported at its line.
  CHECK(errors_of("{\"time\":2000,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n"
                  "{\"time\":1000,\"process\":1,\"type\":\"invoke\",\"f\":\"write\"}\n"
                  "{\"time\":1500,\"process\":1,\"type\":\"ok\",\"f\":\"write\"}\n"
                  "\n"
                  "{\"time\":1999,\"process\":0,\"type\":\"info\",\"f\":\"read\"}\n"
                  "{\"time\":3000,\"process\":2,\"type\":\"invoke\",\"f\":\"read\"}\n"
                  "{\"time\":3000,\"process\":2,\"type\":\"ok\",\"f\":\"read\"}\n"
                  "{\"time\":4000,\"process\":3,\"type\":\"invoke\",\"f\":\"read\"}\n"
                  "{\"time\":10,\"process\":3,\"type\":\"fail\",\"f\":\"read\"}\n") ==
        "history.jsonl:5: error: process 0's read completes (info) at time 1999, before its "
        "invoke at time 2000 on line 1: an operation cannot end before it starts\n"
        "history.jsonl:9: error: process 3's read completes (fail) at time 10, before its invoke "
        "at time 4000 on line 8: an operation cannot end before it starts\n");
}

TEST_CASE("jsonl reader: a NUL byte is invalid JSON, not the end of the line") {
  // Found by fuzzing: the JSON parser stopped at a NUL and accepted the line, so the bytes
  // after it (here not even UTF-8) went unread into an accepted history.
  using namespace std::string_literals;
  CHECK(errors_of("{\"time\":3,\"process\":1,\"type\":\"invoke\",\"f\":\"read\"}\0\0\xa3\xd8 junk\n"
                  "{\"time\":4,\"process\":1,\"type\":\"ok\",\"f\":\"r\0ead\"}\n"s) ==
        "history.jsonl:1:50: error: invalid JSON: a NUL byte\n"
        "history.jsonl:2:41: error: invalid JSON: a NUL byte\n");
}

TEST_CASE("jsonl reader: deep nesting is refused before parsing") {
  // The JSON parser recurses per level, so a hostile line is stopped by a cheap scan first.
  const std::string line = "{\"value\":" + std::string(100'000, '[') + "}";
  CHECK(errors_of(line) == "history.jsonl:1: error: values nest deeper than 64 levels\n");
}

TEST_CASE("history file: history.jsonl read from disk a line at a time reads as from its text") {
  // The file is streamed in chunks, never held whole; lines that straddle a chunk, one longer
  // than a chunk, blank lines, bad lines and a last line without its newline must come out as
  // reading the whole text gives them: the same events, the same problems at the same lines.
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += "{\"time\":" + std::to_string(2 * i) + ",\"process\":" + std::to_string(i % 7) +
            ",\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k" + std::to_string(i % 5) +
            "\",\"value\":" + std::to_string(i) + "}\n";
    if (i == 1000) text += "\n  \n";
    if (i == 1500) text += "{\"time\":1,\"f\":\"read\",\"value\":\"" + std::string(100'000, 'x') + "\"}\n";
    if (i == 2500) text += "{\"time\":2, bad\n";
    text += "{\"time\":" + std::to_string(2 * i + 1) + ",\"process\":" + std::to_string(i % 7) +
            ",\"type\":\"ok\",\"f\":\"write\",\"key\":\"k" + std::to_string(i % 5) +
            "\",\"value\":" + std::to_string(i) + "}\n";
  }
  text += "{\"time\":7000,\"process\":1,\"type\":\"invoke\",\"f\":\"read\"}";
  REQUIRE(text.size() > 3 * 65536);
  testing::TempDir dir;
  const auto path = dir.path() / "history.jsonl";
  testing::write_file(path, text);

  Diagnostics from_text("history.jsonl");
  CHECK_FALSE(read_jsonl_history(text, from_text).has_value());
  Diagnostics from_file("history.jsonl");
  CHECK_FALSE(read_history_file(path.string(), HistoryFormat::kJsonl, from_file).has_value());
  CHECK(from_text.errors().size() == 2);
  CHECK(from_file.format() == from_text.format());

  // Without the bad lines both read, to the same history.
  std::string good = text;
  for (const char* bad : {"{\"time\":1,\"f\"", "{\"time\":2, bad"}) {
    const std::size_t at = good.find(bad);
    REQUIRE(at != std::string::npos);
    good.erase(at, good.find('\n', at) + 1 - at);
  }
  testing::write_file(path, good);
  Diagnostics good_text("history.jsonl");
  Diagnostics good_file("history.jsonl");
  HistoryReadStats stats;
  const auto expected = read_jsonl_history(good, good_text);
  const auto streamed = read_history_file(path.string(), HistoryFormat::kJsonl, good_file, &stats);
  REQUIRE(expected.has_value());
  REQUIRE(streamed.has_value());
  CHECK(streamed->size() == 6001);
  CHECK(stats.events == 6001);
  CHECK(streamed->to_jsonl() == expected->to_jsonl());
}

TEST_CASE("history file: a file that cannot be read reports only that") {
  // Streaming must not leave a half-read file's line problems behind.
  testing::TempDir dir;
  Diagnostics diagnostics("missing.jsonl");
  CHECK_FALSE(read_history_file((dir.path() / "missing.jsonl").string(), HistoryFormat::kJsonl,
                                diagnostics)
                  .has_value());
  CHECK(diagnostics.format() == "missing.jsonl: error: cannot read the file\n");
  Diagnostics folder("folder.jsonl");
  CHECK_FALSE(read_history_file(dir.path().string(), HistoryFormat::kJsonl, folder).has_value());
  CHECK(folder.format() == "folder.jsonl: error: cannot read the file\n");
}

}  // namespace
}  // namespace capsim
