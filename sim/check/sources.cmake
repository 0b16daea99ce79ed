# Sources of the history checkers, added to capsim_sim.
target_sources(capsim_sim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/availability.cc
  ${CMAKE_CURRENT_LIST_DIR}/check_result.cc
  ${CMAKE_CURRENT_LIST_DIR}/convergence.cc
  ${CMAKE_CURRENT_LIST_DIR}/edn_parser.cc
  ${CMAKE_CURRENT_LIST_DIR}/edn_reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/expectations.cc
  ${CMAKE_CURRENT_LIST_DIR}/history_file.cc
  ${CMAKE_CURRENT_LIST_DIR}/history_index.cc
  ${CMAKE_CURRENT_LIST_DIR}/jsonl_reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/kv_history_generator.cc
  ${CMAKE_CURRENT_LIST_DIR}/linearizability.cc
  ${CMAKE_CURRENT_LIST_DIR}/linearizability_check.cc
  ${CMAKE_CURRENT_LIST_DIR}/linearizability_json.cc
  ${CMAKE_CURRENT_LIST_DIR}/linearization_search.cc
  ${CMAKE_CURRENT_LIST_DIR}/lost_writes.cc
  ${CMAKE_CURRENT_LIST_DIR}/model.cc
  ${CMAKE_CURRENT_LIST_DIR}/model_inference.cc
  ${CMAKE_CURRENT_LIST_DIR}/operation.cc
  ${CMAKE_CURRENT_LIST_DIR}/scenario_checks.cc
  ${CMAKE_CURRENT_LIST_DIR}/search_cache.cc
  ${CMAKE_CURRENT_LIST_DIR}/session_guarantees.cc
  ${CMAKE_CURRENT_LIST_DIR}/session_order.cc
  ${CMAKE_CURRENT_LIST_DIR}/session_violation.cc
  ${CMAKE_CURRENT_LIST_DIR}/staleness.cc
  ${CMAKE_CURRENT_LIST_DIR}/violation_explanation.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/counter_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/fifo_queue_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/ids.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/kv_append_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/model_support.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/multi_register_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/mutex_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/register_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/models/set_model.cc
)
target_link_libraries(capsim_sim PUBLIC nlohmann_json::nlohmann_json)
