# Tests of the history checkers.
list(APPEND CAPSIM_TEST_SOURCES
)
