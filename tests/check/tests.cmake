# Tests of the history checkers.
list(APPEND CAPSIM_TEST_SOURCES
  check/availability_test.cpp
  check/convergence_test.cpp
  check/session_guarantees_test.cpp
  check/staleness_test.cpp
)
