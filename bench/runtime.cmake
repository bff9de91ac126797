# Runtime benchmarks (issue 3): end-to-end programs against a throwaway local PostgreSQL, not
# Google Benchmark loops. Results in bench/RESULTS.md, section "Runtime (issue 3)".
add_executable(bgplan_promote_lock_window ${CMAKE_CURRENT_LIST_DIR}/promote_lock_window.cc)
target_link_libraries(bgplan_promote_lock_window PRIVATE bgplan_runtime_core bgplan_passes
  bgplan_warnings)

add_executable(bgplan_apply_bench ${CMAKE_CURRENT_LIST_DIR}/apply_bench.cc)
target_link_libraries(bgplan_apply_bench PRIVATE bgplan_runtime_core nlohmann_json::nlohmann_json
  bgplan_warnings)
target_compile_definitions(bgplan_apply_bench PRIVATE
  BGPLAN_SOURCE_DIR="${PROJECT_SOURCE_DIR}" BGPLAN_BINARY_DIR="${PROJECT_BINARY_DIR}")
if(TARGET bgplan)
  add_dependencies(bgplan_apply_bench bgplan)
endif()
