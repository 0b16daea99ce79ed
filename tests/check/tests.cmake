# Tests of the history checkers.
list(APPEND CAPSIM_TEST_SOURCES
  check/availability_faults_test.cpp
  check/availability_test.cpp
  check/checker_bench_test.cpp
  check/convergence_test.cpp
  check/delivery_bench_test.cpp
  check/delivery_format_test.cpp
  check/delivery_reference_test.cpp
  check/delivery_scenario_test.cpp
  check/delivery_backlog_test.cpp
  check/delivery_test.cpp
  check/edn_reader_test.cpp
  check/expectations_test.cpp
  check/jsonl_reader_test.cpp
  check/linearizability_corpus_test.cpp
  check/linearizability_differential_test.cpp
  check/linearizability_test.cpp
  check/lost_writes_test.cpp
  check/models_test.cpp
  check/scenario_checks_test.cpp
  check/session_collections_test.cpp
  check/session_guarantees_test.cpp
  check/staleness_test.cpp
  check/violation_explanation_test.cpp
)
