#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/check/edn_parser.h"
#include "sim/check/edn_reader.h"

namespace capsim {
namespace {

// Reads `text` and returns the diagnostics, one a line ("" when it reads cleanly).
std::string errors_of(std::string_view text) {
  Diagnostics diagnostics("h.edn");
  read_edn_history(text, diagnostics);
  return diagnostics.format();
}

TEST_CASE("edn reader: reads one operation map a line, keywords becoming plain strings") {
  // The porcupine corpus shape: maps one after another; keys, values and types all read.
  Diagnostics diagnostics("h.edn");
  const auto history = read_edn_history(
      "{:process 0, :type :invoke, :f :read, :value nil}\n"
      "{:process 0, :type :ok, :f :read, :value 3, :time 1500}\n"
      "{:process 1, :type :invoke, :f :append, :key \"7\", :value \"x 0 0 y\"}\n"
      "{:process 1, :type :info, :f :append, :key \"7\", :value \"x 0 0 y\", :error :timeout}\n",
      diagnostics);
  REQUIRE(history.has_value());
  REQUIRE(history->size() == 4);
  const auto& e = history->events();
  CHECK(e[0].type == OpType::kInvoke);
  CHECK(e[0].f == "read");
  CHECK(e[0].value.is_nil());
  CHECK(e[1].type == OpType::kOk);
  CHECK(e[1].value == Value(3));
  CHECK(e[1].time == Time{1500});
  CHECK(e[1].index == 1);
  CHECK(e[2].key == std::optional<std::string>("7"));
  CHECK(e[2].value == Value("x 0 0 y"));
  CHECK(e[3].type == OpType::kInfo);
  CHECK(e[3].error == "timeout");
}

TEST_CASE("edn reader: reads a vector of maps spread over lines, with comments and txn values") {
  // Knossos's shape: one vector, maps across several lines, a comment, nested micro-operations.
  Diagnostics diagnostics("h.edn");
  const auto history = read_edn_history(
      "; A multi-register\n"
      "[{:type :invoke,\n"
      "  :f :txn,\n"
      "  :value [[:read :x nil] [:write :y 3]],\n"
      "  :process 3}\n"
      " {:type :ok, :f :cas, :value [1 2], :process 4, :index 99}]\n",
      diagnostics);
  REQUIRE(history.has_value());
  REQUIRE(history->size() == 2);
  const Value txn(
      Value::List{Value(Value::List{"read", "x", Value()}), Value(Value::List{"write", "y", 3})});
  CHECK(history->events()[0].value == txn);
  CHECK(history->events()[0].process == 3);
  CHECK(history->events()[1].value == Value(Value::List{1, 2}));
  CHECK(history->events()[1].index == 1);  // the file's :index is not ours
}

TEST_CASE("edn reader: skips nemesis events and counts them") {
  // Fault injections are logged by the :nemesis process; they are not client operations.
  Diagnostics diagnostics("h.edn");
  HistoryReadStats stats;
  const auto history = read_edn_history(
      "{:type :info, :f :start, :process :nemesis, :value {:n1 #{:n2 :n3}}, :time 5}\n"
      "{:type :invoke, :f :acquire, :process 3}\n",
      diagnostics, &stats);
  REQUIRE(history.has_value());
  CHECK(history->size() == 1);
  CHECK(stats.events == 1);
  CHECK(stats.skipped == 1);
}

TEST_CASE("edn reader: reads sets, maps, booleans, symbols, escapes, tags and discards") {
  // The rarer EDN forms a history may hold are read into values rather than rejected.
  Diagnostics diagnostics("h.edn");
  const auto history = read_edn_history(
      "#jepsen.history.Op{:process 0, :type :ok, :f :read,\n"
      "  :value [#{1} {:a true} sym \"tab\\there \\\"q\\\" \\u00e9\" #_ 99 \\c]}",
      diagnostics);
  INFO(diagnostics.format());
  REQUIRE(history.has_value());
  const Value expected(Value::List{Value(Value::List{1}),
                                   Value(Value::List{Value(Value::List{"a", "true"})}), "sym",
                                   "tab\there \"q\" \xc3\xa9", "c"});
  CHECK(history->events()[0].value == expected);
}

TEST_CASE("edn reader: an empty file is an empty history") {
  // Nothing to read is not an error: a run may record no operation.
  Diagnostics diagnostics("h.edn");
  const auto history = read_edn_history("; nothing here\n", diagnostics);
  REQUIRE(history.has_value());
  CHECK(history->size() == 0);
}

TEST_CASE("edn reader: syntax errors name the line and column") {
  // The first syntax error stops the reader, with a message that says what is wrong where.
  CHECK(errors_of("{:process 0, :type :ok\n") == "h.edn:1:1: error: this map is never closed\n");
  CHECK(errors_of("[{:process 0}\n )") ==
        "h.edn:2:2: error: expected ']' to close the vector opened at line 1, got ')'\n");
  CHECK(errors_of("{:f \"abc}") == "h.edn:1:5: error: this string is never closed\n");
  CHECK(errors_of("{:f \"a\\qb\"}") == "h.edn:1:7: error: unknown escape '\\q' in a string\n");
  CHECK(errors_of("\n\n  ]") == "h.edn:3:3: error: unexpected ']'\n");
  CHECK(errors_of("{:process 0 :type}") ==
        "h.edn:1:1: error: this map has a key without a value\n");
  CHECK(errors_of("{:value 12abc}") == "h.edn:1:9: error: invalid number '12abc'\n");
  CHECK(errors_of("{:value 99999999999999999999}") ==
        "h.edn:1:9: error: the integer 99999999999999999999 does not fit in 64 bits\n");
  CHECK(errors_of("{:value @x}") == "h.edn:1:9: error: unexpected character '@'\n");
  CHECK(errors_of("{:value #?x}") == "h.edn:1:9: error: unsupported '#?' form\n");
  CHECK(errors_of("{:value :}") == "h.edn:1:9: error: a keyword needs a name after ':'\n");
  CHECK(errors_of("[#_]") == "h.edn:1:2: error: '#_' is not followed by a form to discard\n");
  // A message quotes a whole character, never the first byte of one (found by fuzzing).
  CHECK(errors_of("{:f \"a\\\xc3\xa9\"}") == "h.edn:1:7: error: unknown escape '\\\xc3\xa9' in a string\n");
  CHECK(errors_of("{:f #\xdf\xa3_}") == "h.edn:1:5: error: unsupported '#\xdf\xa3' form\n");
}

TEST_CASE("edn reader: text that is not UTF-8, and lone surrogates, are refused at their place") {
  // Every string read ends up in JSON outputs, which must be UTF-8: raw bytes that are not
  // UTF-8 and "\u" escapes naming half of a surrogate pair are errors with their position,
  // while a whole pair becomes the one character it encodes.
  CHECK(errors_of("{:process 0 :type :ok\n :f :write :value \"a\xff\"}") ==
        "h.edn:2:21: error: the file is not valid UTF-8: byte 0xff\n");
  CHECK(errors_of("{:process 0 :f :caf\xc3\xa9 :value :\xc3}") ==
        "h.edn:1:31: error: the file is not valid UTF-8: byte 0xc3\n");
  CHECK(errors_of("{:value \"x\\ud800\"}") ==
        "h.edn:1:11: error: '\\ud800' is half of a UTF-16 surrogate pair without its other "
        "half: not a character\n");
  CHECK(errors_of("{:value \"\\udc00\"}") ==
        "h.edn:1:10: error: '\\udc00' is half of a UTF-16 surrogate pair without its other "
        "half: not a character\n");
  CHECK(errors_of("{:value \"\\ud83d\\u0041\"}") ==
        "h.edn:1:10: error: '\\ud83d' is half of a UTF-16 surrogate pair without its other "
        "half: not a character\n");
  CHECK(errors_of("{:value \"\\ud83d\\u00\"}") ==
        "h.edn:1:16: error: '\\u' needs four hexadecimal digits\n");
  Diagnostics diagnostics("h.edn");
  const auto history = read_edn_history(
      "{:process 0 :type :ok :f :read :value \"\\ud83d\\ude00 \\u20ac\"}", diagnostics);
  INFO(diagnostics.format());
  REQUIRE(history.has_value());
  CHECK(history->events()[0].value == Value("\xf0\x9f\x98\x80 \xe2\x82\xac"));
}

TEST_CASE("edn reader: a completion earlier than its invoke is an error at its line") {
  // A nemesis event in between changes nothing. Times are optional in EDN: an event without
  // one takes the time of the client event before it, so a completion without a time is never
  // early, and a history read from EDN always writes as a valid history.jsonl.
  CHECK(errors_of("[{:process 0 :type :invoke :f :read :time 50}\n"
                  " {:process :nemesis :type :info :f :start :time 1}\n"
                  " {:process 0 :type :ok :f :read :value 1 :time 40}\n"
                  " {:process 1 :type :invoke :f :read :time 70}\n"
                  " {:process 1 :type :ok :f :read}\n"
                  " {:process 2 :type :invoke :f :read}\n"
                  " {:process 2 :type :ok :f :read :time 60}]\n") ==
        "h.edn:3:2: error: process 0's read completes (ok) at time 40, before its invoke at time "
        "50 on line 1: an operation cannot end before it starts\n"
        "h.edn:7:2: error: process 2's read completes (ok) at time 60, before its invoke at time "
        "70 on line 6: an operation cannot end before it starts\n");
  Diagnostics diagnostics("h.edn");
  const auto history = read_edn_history(
      "{:process 0 :type :invoke :f :read :time 3}\n{:process 0 :type :ok :f :read}\n"
      "{:process 1 :type :invoke :f :read}\n",
      diagnostics);
  REQUIRE_MESSAGE(history.has_value(), diagnostics.format());
  CHECK(history->events()[1].time == Time{3});
  CHECK(history->events()[2].time == Time{3});
}

TEST_CASE("edn reader: deep nesting is refused, not followed down the stack") {
  // A hostile file of a million '[' must give an error, not exhaust the stack.
  const std::string deep(1'000'000, '[');
  CHECK(errors_of(deep) == "h.edn:1:65: error: forms nest deeper than 64 levels\n");
  const std::string discards = [] {
    std::string text;
    for (int i = 0; i < 100'000; ++i) text += "#_";
    return text + "1";
  }();
  CHECK(errors_of(discards) == "h.edn:1:129: error: forms nest deeper than 64 levels\n");
}

TEST_CASE("edn reader: every bad operation is reported, each at its own line") {
  // Semantic errors do not stop the reader: one pass shows all of them.
  CHECK(
      errors_of("{:process 0, :f :read}\n"
                "{:process 0, :type :done, :f :read}\n"
                "{:process 1.5, :type :ok, :f :read}\n"
                "{:type :ok, :f :read}\n"
                "{:process 2, :type :ok, :f 7}\n"
                "{:process 2, :type :ok}\n"
                "{:process 2, :type :ok, :f :read, :value 2.5}\n"
                "{:process 2, :type :ok, :f :read, :time -1}\n"
                "{:process 2, :type :ok, :f :read, :key [1]}\n"
                "{:process 2, :type :ok, :f :read, :node 3}\n"
                "{:process 2, :type :ok, :f :read, :f :write}\n"
                "{:process -2, :type :ok, :f :read}\n"
                "[1 2]\n") ==
      "h.edn:1:1: error: operation has no :type\n"
      "h.edn:2:20: error: :type must be :invoke, :ok, :fail or :info, got the keyword :done\n"
      "h.edn:3:11: error: :process must be an integer, got the number 1.5\n"
      "h.edn:4:1: error: operation has no :process\n"
      "h.edn:5:28: error: :f must be a keyword, symbol or string, got the integer 7\n"
      "h.edn:6:1: error: operation has no :f\n"
      "h.edn:7:42: error: floating-point values such as 2.5 are not supported\n"
      "h.edn:8:41: error: :time must be a non-negative integer (nanoseconds), got the integer -1\n"
      "h.edn:9:40: error: :key must be a string, keyword, symbol or integer, got a vector\n"
      "h.edn:10:41: error: :node must be a string, keyword or symbol, got the integer 3\n"
      "h.edn:11:35: error: duplicate key :f in an operation\n"
      "h.edn:12:11: error: :process must not be negative, got -2\n"
      "h.edn:13:1: error: expected an operation map, got a vector\n");
}

TEST_CASE("edn parser: integers, keywords and collections keep their positions") {
  // The parser is the reader's base; positions are what make its messages useful.
  Diagnostics diagnostics("x.edn");
  const auto forms = parse_edn("  -42 :a/b\n(x [1] #{2})", diagnostics);
  REQUIRE(forms.has_value());
  REQUIRE(forms->size() == 3);
  CHECK((*forms)[0].integer == -42);
  CHECK((*forms)[1].kind == EdnNode::Kind::kKeyword);
  CHECK((*forms)[1].text == "a/b");
  CHECK((*forms)[2].kind == EdnNode::Kind::kList);
  CHECK((*forms)[2].line == 2);
  CHECK((*forms)[2].column == 1);
  CHECK((*forms)[2].items[2].kind == EdnNode::Kind::kSet);
  CHECK((*forms)[2].items[2].column == 8);
}

TEST_CASE("edn parser: the elements of a first vector come one by one, before the vector") {
  // A Jepsen history is often one vector of a million maps: the reader must see each map as
  // it is read rather than a tree of the whole file. Later forms come whole.
  Diagnostics diagnostics("x.edn");
  std::vector<std::string> seen;
  EdnVisitor visitor;
  visitor.element = [&](EdnNode&& element) { seen.push_back("element " + element.describe()); };
  visitor.form = [&](EdnNode&& form) {
    seen.push_back("form " + form.describe() + " of " + std::to_string(form.items.size()));
  };
  REQUIRE(parse_edn_forms("#tag [{:a 1} #_ [9] 2 [3 4]] [5 6] (7)", diagnostics, visitor));
  CHECK(seen == std::vector<std::string>{"element a map", "element the integer 2",
                                         "element a vector", "form a vector of 0",
                                         "form a vector of 2", "form a list of 1"});
  // parse_edn() still returns the first vector with its elements.
  const auto forms = parse_edn("[{:a 1} 2] 3", diagnostics);
  REQUIRE(forms.has_value());
  REQUIRE(forms->size() == 2);
  CHECK((*forms)[0].items.size() == 2);
  CHECK(diagnostics.empty());
}

TEST_CASE("edn reader: a first vector followed by other forms is itself the bad operation") {
  // Its elements were read as operations while it was parsed; once another form follows, the
  // file is one of maps after all: the vector is reported, its elements' problems are not, and
  // the maps after it are read as usual.
  CHECK(errors_of("[{:process 0, :type :start, :f :read} 7]\n"
                  "{:process 1, :type :invoke}\n") ==
        "h.edn:1:1: error: expected an operation map, got a vector\n"
        "h.edn:2:1: error: operation has no :f\n");
  Diagnostics diagnostics("h.edn");
  const auto history = read_edn_history(
      "({:process 0, :type :invoke, :f :read} {:process 0, :type :ok, :f :read})\n", diagnostics);
  REQUIRE(history.has_value());
  CHECK(history->size() == 2);
}

TEST_CASE("edn reader: a syntax error is the only problem reported, however late it comes") {
  // Operations are judged while the file is parsed, but a syntax error still stands alone.
  CHECK(errors_of("[{:process 0, :type :start, :f :read}\n"
                  " {:process 0, :type :invoke, :f :read}\n"
                  " {:process 0, :type :ok, :f :read]") ==
        "h.edn:3:34: error: expected '}' to close the map opened at line 3, got ']'\n");
}

}  // namespace
}  // namespace capsim
