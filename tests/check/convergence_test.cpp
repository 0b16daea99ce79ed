#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "sim/check/convergence.h"

using namespace capsim;

TEST_CASE("convergence: live replicas with equal digests converge") {
  // Three replicas end with the same state.
  const CheckResult result =
      check_convergence({"k1=3;k2=7", "k1=3;k2=7", "k1=3;k2=7"}, {true, true, true}, 3);
  CHECK(result.check == "convergence");
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.explanation.empty());
  CHECK(result.metrics.at("divergent_nodes") == 0);
  CHECK(result.metrics.at("live_nodes") == 3);
}

TEST_CASE("convergence: a replica with another value is named with the first differing key") {
  // n3 holds 5 where the other two hold 7.
  const CheckResult result =
      check_convergence({"k1=3;k2=7", "k1=3;k2=7", "k1=3;k2=5"}, {true, true, true}, 3);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("divergent_nodes") == 1);
  CHECK(result.metrics.at("distinct_states") == 2);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "1 of 3 live replicas did not converge: n3 ended with a state different from n1's (held "
        "by 2 of 3).");
  CHECK(result.explanation[1] == "n3 differs from n1 on k2: n1 has k2=7, n3 has k2=5.");
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details["divergent"][0]["node"] == "n3");
  CHECK(details["divergent"][0]["key"] == "k2");
  CHECK(details["divergent"][0]["reference_value"] == "7");
  CHECK(details["divergent"][0]["value"] == "5");
}

TEST_CASE("convergence: the most common state is the reference; a missing key differs") {
  // n2 and n3 agree; n1 lacks k3 and n4 has an extra k0.
  const CheckResult result = check_convergence({"k1=3", "k1=3;k3=2", "k1=3;k3=2", "k0=1;k1=3;k3=2"},
                                               {true, true, true, true}, 4);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("divergent_nodes") == 2);
  REQUIRE(result.explanation.size() == 3);
  CHECK(result.explanation[0] ==
        "2 of 4 live replicas did not converge: n1 and n4 ended with a state different from "
        "n2's (held by 2 of 4).");
  CHECK(result.explanation[1] == "n1 differs from n2 on k3: n2 has k3=2, n1 has no k3.");
  CHECK(result.explanation[2] == "n4 differs from n2 on k0: n2 has no k0, n4 has k0=1.");
}

TEST_CASE("convergence: replicas down at the end are not compared") {
  // n3 crashed and reports nothing; the live two agree.
  const CheckResult result = check_convergence({"k1=3", "k1=3", ""}, {true, true, false}, 3);
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.metrics.at("live_nodes") == 2);
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details["down"] == nlohmann::json({"n3"}));
}

TEST_CASE("convergence: fewer than two live replicas cannot disagree") {
  // One live replica, and entries missing from the vectors count as down; the explanation and
  // the evidence say how many were live.
  const CheckResult one = check_convergence({"k1=3", "k1=4"}, {true, false}, 2);
  CHECK(one.verdict == CheckVerdict::kNotApplicable);
  CHECK(one.evidence == "judged 1 live replicas; needs at least 2");
  CHECK(one.explanation ==
        std::vector<std::string>{"Only 1 of 2 replicas was live at the end: convergence needs at "
                                 "least two to compare."});
  CHECK(check_convergence({"k1=3"}, {true, true, true}, 3).verdict == CheckVerdict::kNotApplicable);
}

TEST_CASE("convergence: set and counter states, converged and not") {
  // The set and counter workloads' digests: equal states pass with their evidence; a replica
  // missing an element (a counter behind) is named with the key.
  const CheckResult sets = check_convergence({"k1=[1 2]", "k1=[1 2]"}, {true, true}, 2);
  CHECK(sets.verdict == CheckVerdict::kPass);
  CHECK(sets.evidence == "judged 2 live replicas; needs at least 2");
  const CheckResult set_diff = check_convergence({"k1=[1 2]", "k1=[1]"}, {true, true}, 2);
  CHECK(set_diff.verdict == CheckVerdict::kFail);
  CHECK(set_diff.explanation.at(1) == "n2 differs from n1 on k1: n1 has k1=[1 2], n2 has k1=[1].");
  CHECK(check_convergence({"k1=5", "k1=5", "k1=5"}, {true, true, true}, 3).verdict ==
        CheckVerdict::kPass);
  const CheckResult counter_diff =
      check_convergence({"k1=5", "k1=4", "k1=5"}, {true, true, true}, 3);
  CHECK(counter_diff.verdict == CheckVerdict::kFail);
  CHECK(counter_diff.explanation.at(1) == "n2 differs from n1 on k1: n1 has k1=5, n2 has k1=4.");
}

namespace {

// Five nodes whose keys live on three each, as a hash ring would place them.
const std::map<std::string, std::vector<NodeId>> kReplicas = {{"k1", {0, 2, 3}},
                                                              {"k2", {1, 2, 4}}};
const std::vector<bool> kAllUp(5, true);

}  // namespace

TEST_CASE("convergence per key: each key is compared on its own replicas only") {
  // The nodes hold different keys, and n2 even holds a stale k1 it is no replica of (a hint,
  // say): whole-node digests all differ, yet every key agrees on its replicas.
  const std::vector<std::string> digests = {"k1=3", "k1=9;k2=5", "k1=3;k2=5", "k1=3", "k2=5"};
  CHECK(check_convergence(digests, kAllUp, 5).verdict == CheckVerdict::kFail);
  const CheckResult result = check_key_convergence(digests, kAllUp, 5, kReplicas);
  CHECK(result.check == "convergence");
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.explanation.empty());
  CHECK(result.metrics.at("keys_judged") == 2);
  CHECK(result.metrics.at("divergent_keys") == 0);
  CHECK(result.metrics.at("divergent_nodes") == 0);
  CHECK(result.evidence == "judged 2 keys on their live replicas; needs at least 1");
}

TEST_CASE("convergence per key: a divergent key is named with its replicas and their values") {
  // n4 holds another k1 than n1 and n3; k2 lacks its entry on n3, and n5 is down.
  const std::vector<std::string> digests = {"k1=3", "k2=5", "k1=3", "k1=4", ""};
  const CheckResult result =
      check_key_convergence(digests, {true, true, true, true, false}, 5, kReplicas);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("divergent_keys") == 2);
  CHECK(result.metrics.at("live_nodes") == 4);
  REQUIRE(result.explanation.size() == 3);
  CHECK(result.explanation[0] == "2 of 2 keys did not converge on their replicas: k1 and k2.");
  CHECK(result.explanation[1] ==
        "k1 on its replicas n1, n3 and n4: n1 and n3 have k1=3, n4 has k1=4.");
  CHECK(result.explanation[2] ==
        "k2 on its replicas n2, n3 and n5 (n5 down): n2 has k2=5, n3 has no k2.");
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details["divergent"][0]["key"] == "k1");
  CHECK(details["divergent"][0]["values"]["n4"] == "4");
  CHECK(details["divergent"][1]["values"]["n3"].is_null());
  CHECK(details["divergent"][1]["down"] == nlohmann::json({"n5"}));
}

TEST_CASE("convergence per key: n/a with the reason only when no key can be judged") {
  // k1 has one live replica, k2 is held by none of its live replicas: nothing to compare.
  const std::vector<std::string> digests = {"", "", "k1=3", "", ""};
  const CheckResult result =
      check_key_convergence(digests, {false, true, true, false, true}, 5, kReplicas);
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
  CHECK(result.metrics.at("keys_judged") == 0);
  REQUIRE(!result.explanation.empty());
  CHECK(result.explanation[0] ==
        "No key could be judged: a key is compared on its replicas (not on every node) and needs "
        "two of them live, one holding it (k1: only n3 of its replicas n1, n3 and n4 was live at "
        "the end; k2: none of its live replicas holds it (never written)).");
  // One judged key is enough for a verdict; a key not judged is listed with why.
  const CheckResult one =
      check_key_convergence({"k1=3", "", "k1=3", "k1=3", ""}, kAllUp, 5, kReplicas);
  CHECK(one.verdict == CheckVerdict::kPass);
  CHECK(one.metrics.at("keys_judged") == 1);
  const auto details = nlohmann::json::parse(one.details_json);
  CHECK(details["not_judged"]["k2"] == "none of its live replicas holds it (never written)");
}

TEST_CASE("convergence per key: a digest that is not key=value entries leaves it unknown") {
  const CheckResult result =
      check_key_convergence({"k1=3", "abc", "k1=3", "k1=3", ""}, kAllUp, 5, kReplicas);
  CHECK(result.verdict == CheckVerdict::kUnknown);
  CHECK(result.explanation.at(0) ==
        "n2's state \"abc\" is not a list of key=value entries, so its keys cannot be compared "
        "with their other replicas.");
}

TEST_CASE("convergence: a digest that is not key=value pairs is quoted whole") {
  // An opaque digest cannot be split into keys.
  const CheckResult result = check_convergence({"abc", "k1=1"}, {true, true}, 2);
  CHECK(result.verdict == CheckVerdict::kFail);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] == "n2's state \"k1=1\" differs from n1's \"abc\".");
}

TEST_CASE("convergence: verdict names") {
  // The words summary.json uses for verdicts.
  CHECK(check_verdict_name(CheckVerdict::kPass) == "pass");
  CHECK(check_verdict_name(CheckVerdict::kFail) == "fail");
  CHECK(check_verdict_name(CheckVerdict::kUnknown) == "unknown");
  CHECK(check_verdict_name(CheckVerdict::kNotApplicable) == "n/a");
}
