// The `checks` and `expect` sections of a scenario (sim/yaml_checks.cc).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/scenario_loader.h"

using namespace capsim;

namespace {

// A registry with one option-less protocol: these tests are about the checks sections only.
const ProtocolRegistry& test_registry() {
  static const ProtocolRegistry registry = [] {
    ProtocolRegistry result;
    ProtocolInfo quiet;
    quiet.name = "quiet";
    result.add(std::move(quiet));
    return result;
  }();
  return registry;
}

// Lines 1-4: a valid scenario to which a test appends its lines.
const std::string kBase =
    "name: t\n"
    "description: d\n"
    "duration: 30s\n"
    "cluster: {nodes: 3, protocol: quiet}\n";

LoadResult load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_scenario_text(text, "test.yaml", test_registry(), overrides);
}

std::string errors(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const LoadResult result = load(text, overrides);
  CHECK(result.scenario.has_value() == result.diagnostics.empty());
  return result.diagnostics.format();
}

Scenario loaded(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const LoadResult result = load(text, overrides);
  REQUIRE_MESSAGE(result.scenario.has_value(), result.diagnostics.format());
  return *result.scenario;
}

}  // namespace

TEST_CASE("scenario checks: quoted verdicts and bounds are strings, and errors") {
  // expect: {linearizable: "false"} is text in YAML, and so is max: "0".
  CHECK(errors(kBase + "checks: [linearizable, session]\n"
                       "expect: {linearizable: \"false\", session: {max: '0'}}\n") ==
        "test.yaml:6:24: error: expected true or false, got the string \"false\" (write true and "
        "false without quotes)\n"
        "test.yaml:6:48: error: expected a number, got the string \"0\" (write numbers without "
        "quotes)\n");
}

TEST_CASE("scenario checks: checks and every form of expect are read") {
  // One scenario using each form: verdicts, a bound on the main metric, a side, a named
  // metric with a duration, and a list of bounds for one check.
  const Scenario s = loaded(kBase +
                            "checks: [linearizable, session, convergence]\n"
                            "expect:\n"
                            "  linearizable: false\n"
                            "  convergence: true\n"
                            "  session: {max: 0}\n"
                            "  availability: {side: minority, max: 5%}\n"
                            "  staleness:\n"
                            "    - {min: 1%}\n"
                            "    - {metric: lag_p99_ns, max: 1.5s}\n");
  CHECK(s.checks == std::vector<std::string>{"linearizable", "session", "convergence"});
  REQUIRE(s.expectations.size() == 6);
  const Expectation& linearizable = s.expectations[0];
  CHECK(linearizable.check == "linearizable");
  CHECK(linearizable.kind == Expectation::Kind::kVerdict);
  CHECK_FALSE(linearizable.pass);
  CHECK(linearizable.pos.line == 7);
  CHECK(linearizable.pos.column == 17);
  CHECK(s.expectations[1].pass);
  const Expectation& session = s.expectations[2];
  CHECK(session.kind == Expectation::Kind::kBound);
  CHECK(session.metric == "violations");  // session's main metric
  CHECK_FALSE(session.min.has_value());
  CHECK(session.max == 0.0);
  const Expectation& availability = s.expectations[3];
  CHECK(availability.metric == "availability_minority");
  CHECK(availability.max == 0.05);
  CHECK(s.expectations[4].check == "staleness");
  CHECK(s.expectations[4].metric == "stale_fraction");
  CHECK(s.expectations[4].min == 0.01);
  CHECK(s.expectations[5].metric == "lag_p99_ns");
  CHECK(s.expectations[5].max == 1.5e9);
}

TEST_CASE("scenario checks: without the sections nothing is checked or expected") {
  // The defaults: no checks, no expectations; empty sections are allowed.
  const Scenario none = loaded(kBase);
  CHECK(none.checks.empty());
  CHECK(none.expectations.empty());
  const Scenario empty = loaded(kBase + "checks: []\nexpect: {}\n");
  CHECK(empty.checks.empty());
  CHECK(empty.expectations.empty());
}

TEST_CASE("scenario checks: unknown checks and metrics get a hint or the list") {
  // Check names in both sections, metric names per check, and sides.
  CHECK(errors(kBase + "checks: [linearisable]\n") ==
        "test.yaml:5:10: error: unknown check 'linearisable' (did you mean 'linearizable'?)\n");
  CHECK(errors(kBase + "checks: [speed]\n") ==
        "test.yaml:5:10: error: unknown check 'speed' (expected one of: linearizable, session, "
        "staleness, convergence, lost-writes, availability, delivery)\n");
  CHECK(errors(kBase + "expect: {sesion: true}\n") ==
        "test.yaml:5:10: error: unknown check 'sesion' (did you mean 'session'?)\n");
  CHECK(errors(kBase + "expect: {convergence: {metric: divergent, max: 0}}\n") ==
        "test.yaml:5:32: error: unknown convergence metric 'divergent' (expected one of: "
        "live_nodes, divergent_nodes, distinct_states, keys_judged, divergent_keys)\n");
  CHECK(errors(kBase + "expect: {staleness: {metric: stale_fractoin, max: 5%}}\n") ==
        "test.yaml:5:30: error: unknown staleness metric 'stale_fractoin' (did you mean "
        "'stale_fraction'?)\n");
  CHECK(errors(kBase + "expect: {availability: {side: minorty, max: 5%}}\n") ==
        "test.yaml:5:31: error: unknown side 'minorty' (did you mean 'minority'?)\n");
  CHECK(errors(kBase + "checks: [session, session]\n") ==
        "test.yaml:5:19: error: check 'session' is listed twice\n");
}

TEST_CASE("scenario checks: values must match the metric's unit") {
  // Fractions take percentages, _ns metrics durations with a unit, counts plain numbers.
  CHECK(errors(kBase + "expect: {availability: {max: 5}}\n") ==
        "test.yaml:5:30: error: expected a percentage such as 2% or 0.5% (0% to 100%), got '5'\n");
  CHECK(errors(kBase + "expect: {availability: {metric: latency_p99_ns, max: 200}}\n") ==
        "test.yaml:5:54: error: duration '200' has no unit; expected a duration with a unit, "
        "such as 250ms, 1.5s or 2m\n");
  CHECK(errors(kBase + "expect: {session: {max: 5%}}\n") ==
        "test.yaml:5:25: error: expected a number of at least 0, such as 0, 3 or 2.5, got '5%'\n");
  CHECK(errors(kBase + "expect: {convergence: {max: -1}}\n") ==
        "test.yaml:5:29: error: expected a number of at least 0, such as 0, 3 or 2.5, got '-1'\n");
  CHECK(errors(kBase + "expect: {staleness: {min: 10%, max: 5%}}\n") ==
        "test.yaml:5:27: error: min 10% is above max 5%\n");
}

TEST_CASE("scenario checks: malformed expectations say what was expected") {
  // Wrong shapes, a bound without limits, side outside availability, no main metric, and
  // several problems at once, each at its position.
  CHECK(errors(kBase + "expect: {linearizable: maybe}\n") ==
        "test.yaml:5:24: error: expected true, false, a bound such as {max: 5%}, or a list of "
        "them, got 'maybe'\n");
  CHECK(errors(kBase + "expect: {linearizable: }\n") ==
        "test.yaml:5:10: error: expected true, false, a bound such as {max: 5%}, or a list of "
        "them, got nothing\n");
  CHECK(errors(kBase + "expect: [linearizable]\n") ==
        "test.yaml:5:9: error: expected a map, got a list\n");
  CHECK(errors(kBase + "checks: session\n") ==
        "test.yaml:5:9: error: expected a list, got 'session'\n");
  CHECK(errors(kBase + "expect: {session: {metric: violations}}\n") ==
        "test.yaml:5:19: error: a bound needs min, max or both\n");
  CHECK(errors(kBase + "expect: {session: {side: minority, max: 0}}\n") ==
        "test.yaml:5:20: error: side only applies to availability\n");
  CHECK(errors(kBase + "expect: {session: {maximum: 0}}\n") ==
        "test.yaml:5:19: error: a bound needs min, max or both\n"
        "test.yaml:5:20: error: unknown key 'maximum' (expected one of: metric, min, max)\n");
  CHECK(errors(kBase + "expect: {linearizable: {max: 3}}\n") ==
        "test.yaml:5:24: error: linearizable has no main metric: name one with `metric`, or "
        "expect true or false\n");
  CHECK(errors(kBase + "expect: {availability: {side: overall, metric: ok, min: 1}}\n") ==
        "test.yaml:5:31: error: give either side or metric, not both\n");
  CHECK(errors(kBase + "expect: {session: []}\n") ==
        "test.yaml:5:19: error: expected at least one expectation, got an empty list\n");
  CHECK(errors(kBase + "checks: [session, x]\nexpect: {session: [true, [1]], y: 1}\n") ==
        "test.yaml:5:19: error: unknown check 'x' (expected one of: linearizable, session, "
        "staleness, convergence, lost-writes, availability, delivery)\n"
        "test.yaml:6:26: error: expected true, false or a bound such as {max: 5%}, got a list\n"
        "test.yaml:6:32: error: unknown check 'y' (expected one of: linearizable, session, "
        "staleness, convergence, lost-writes, availability, delivery)\n");
}

TEST_CASE("scenario checks: --set overrides reach checks and expect") {
  // Overrides edit the YAML before validation, so they can add, change and clear both
  // sections, and their errors name the override.
  const std::string text = kBase + "checks: [session]\nexpect: {linearizable: true}\n";
  const Scenario s = loaded(text, {"expect.linearizable=false", "checks=[staleness]",
                                   "expect.availability={side: majority, min: 90%}"});
  CHECK(s.checks == std::vector<std::string>{"staleness"});
  REQUIRE(s.expectations.size() == 2);
  CHECK_FALSE(s.expectations[0].pass);
  CHECK(s.expectations[1].metric == "availability_majority");
  CHECK(s.expectations[1].min == 0.9);
  CHECK(loaded(text, {"expect={}"}).expectations.empty());
  CHECK(errors(text, {"expect.session=sometimes"}) ==
        "--set expect.session=sometimes: error: expected true, false, a bound such as {max: "
        "5%}, or a list of them, got 'sometimes'\n");
}
