# jiandu_module(): one static library per module, modelled on abseil's absl_cc_library.
#
#   jiandu_module(NAME registry
#                 SRCS registry_service.cc person.cc
#                 DEPS jiandu::core jiandu::store jiandu::audit jiandu::auth
#                 EXTERNAL nlohmann_json::nlohmann_json)
#
# Sources are listed explicitly (never globbed). The library is jiandu_<NAME> with the alias
# jiandu::<NAME>; headers are included as "<module>/<file>.h" from src/. Listing a dependency is
# what makes its symbols link: using a module you did not list fails at link time, and
# scripts/check-layering.sh fails on an include that points up or sideways without an entry in
# docs/architecture.md.
function(jiandu_module)
  cmake_parse_arguments(M "" "NAME" "SRCS;DEPS;EXTERNAL" ${ARGN})
  set(target jiandu_${M_NAME})
  add_library(${target} STATIC ${M_SRCS})
  add_library(jiandu::${M_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${JIANDU_SOURCE_ROOT}/src)
  target_link_libraries(${target} PUBLIC ${M_DEPS} ${M_EXTERNAL})
  target_compile_options(${target} PRIVATE ${JIANDU_WARNINGS})
endfunction()

# jiandu_test(NAME store_contract_test SRCS ... DEPS ... [LABELS ...])
# A GoogleTest binary registered with CTest (one CTest entry per binary, run by `make test`).
function(jiandu_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${T_NAME} PRIVATE ${JIANDU_WARNINGS})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "unit;${T_LABELS}")
endfunction()

# jiandu_embed(TARGET_VAR out_var SYMBOL name FILE path): compiles a data file into the binary
# as `extern const std::string_view <SYMBOL>` in namespace jiandu::embedded, so the program needs
# no data directory to find its calendar or region table.
function(jiandu_embed out_var symbol file)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DSYMBOL=${symbol}
            -P ${JIANDU_SOURCE_ROOT}/cmake/EmbedFile.cmake
    DEPENDS ${file} ${JIANDU_SOURCE_ROOT}/cmake/EmbedFile.cmake
    COMMENT "Embedding ${file}")
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
