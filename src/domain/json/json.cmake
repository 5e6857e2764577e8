# zm_domain_json: the JSON codec of the API resources, shared by the services (stored documents)
# and the HTTP layer (request and response bodies). Included from src/domain/CMakeLists.txt.
add_library(zm_domain_json
  ${CMAKE_CURRENT_LIST_DIR}/reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/mapping.cc)
target_link_libraries(zm_domain_json PUBLIC zm_domain nlohmann_json::nlohmann_json)
zm_test(domain_json_test ${CMAKE_CURRENT_LIST_DIR}/mapping_test.cc LIBS zm_domain_json)
