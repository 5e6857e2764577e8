# JSON mapping of the API resources (included from src/http/CMakeLists.txt).
add_library(zm_http_json
  ${CMAKE_CURRENT_LIST_DIR}/reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/mapping.cc)
target_link_libraries(zm_http_json PUBLIC zm_domain nlohmann_json::nlohmann_json)
zm_test(http_json_test ${CMAKE_CURRENT_LIST_DIR}/mapping_test.cc LIBS zm_http_json)
