# Jiandu: the two commands of README.md, and a few more.
#   make demo   install what is missing, build, create the demo county and serve it
#   make test   build and run every test (unit, contract on SQLite and PostgreSQL, API, web e2e)
#   make bench  run the benchmarks against their peers (slow; prints ratios)
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build web demo test test-unit test-api test-e2e bench clean

all: build

deps:
	scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

web:
	cd web && npm run build

demo: deps build web
	$(BUILD)/src/cli/jiandu demo --data data-demo --listen $(LISTEN) --web web/dist

test: deps build web
	scripts/run-tests.sh $(BUILD)

bench: deps build
	scripts/run-benchmarks.sh $(BUILD)

clean:
	rm -rf $(BUILD) web/dist
