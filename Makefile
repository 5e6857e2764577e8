# Zhimian developer entry points. See README.md.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
LISTEN ?= 127.0.0.1:8080
DATA_DIR ?= data

.PHONY: deps build run test test-fast bench bench-asap format clean

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DZM_WERROR=ON
	cmake --build $(BUILD_DIR) -j$(JOBS)
	./scripts/web.sh build

# Builds, then serves the demo organisation on the embedded SQLite database.
run: build
	./$(BUILD_DIR)/zhimian serve --demo --data-dir $(DATA_DIR) --listen $(LISTEN)

# Every test: formatting, unit, storage contract on SQLite and PostgreSQL, HTTP integration,
# OpenAPI lint, and the sanitizer build's unit and integration tests.
test: deps
	./scripts/test.sh

# Unit and integration tests of the normal build only (no sanitizer build).
test-fast: deps
	ZM_SKIP_SANITIZER=1 ./scripts/test.sh

bench: build
	./bench/api_load.sh

# Supervised scoring vs scikit-learn on ASAP-SAS, LE and ASAG (docs/supervised-scoring.md):
# make bench-asap BENCH_DATA=../shared/bench-data
BENCH_DATA ?= ../shared/bench-data
bench-asap:
	./bench/asap_sas_vs_sklearn.sh $(BENCH_DATA)

format:
	find src bench -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan
