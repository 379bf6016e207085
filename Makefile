# Atalaya — build, demo and test entry points. CI (.ci/run) runs `make test`, `make tsan`,
# `make test-packaging` and a short `make fuzz`.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libsystemd-dev libyaml-dev pkg-config
TEST_APT_PACKAGES := prometheus prometheus-alertmanager man-db chromium python3 python3-aiosmtpd
PACKAGING_TEST_APT_PACKAGES := lintian man-db
DEB_APT_PACKAGES := dpkg-dev binutils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build release demo test test-packaging fuzz tsan deb deps deb-deps test-deps packaging-test-deps format clean bench order-file

all: build

# Installs the apt packages that are missing (and nothing when all are present).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

deb-deps: deps
	@missing=""; for p in $(DEB_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi

test-deps: deps
	@missing=""; for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi; \
	command -v promtool >/dev/null || { echo "promtool not found after installing prometheus" >&2; exit 1; }; \
	command -v prometheus >/dev/null || { echo "prometheus not found after installing it" >&2; exit 1; }

packaging-test-deps: deb-deps
	@missing=""; for p in $(PACKAGING_TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi

build: deps
	$(SWIFT) build

# The release binary as it ships: packaging/release-build.sh says how it is linked and why.
release: deps
	SWIFT=$(SWIFT) packaging/release-build.sh

demo: build
	$(SWIFT) run atalaya demo

# atalaya_<version>-<revision>_<arch>.deb in .build/deb (release build, static Swift runtime).
deb: deb-deps
	SWIFT=$(SWIFT) packaging/build-deb.sh

# One debug build, then the whole suite (real Prometheus, promtool, Alertmanager, systemd-analyze
# included). Its output also goes to .build/swift-test.log; on failure the failing tests and their
# messages are repeated at the end, where a CI log's tail shows them. The release .deb is tested by
# test-packaging (CI runs both: .ci/run).
test: test-deps
	$(SWIFT) build --build-tests
	@set -o pipefail; $(SWIFT) test --skip-build 2>&1 | tee .build/swift-test.log || { \
	  status=$$?; echo; echo "==== swift test failed ($$status); failures from .build/swift-test.log:"; \
	  grep -E '✘ Test .* failed|error:|Fatal error|signal code' .build/swift-test.log | cut -c1-200 | tail -n 20; \
	  grep -E '✘ Test .* recorded an issue|↳' .build/swift-test.log | cut -c1-400 | head -n 20; \
	  exit $$status; }

# Builds the release .deb, then installs, checks and purges it on this machine (root or sudo).
test-packaging: packaging-test-deps
	set -o pipefail; deb="$$(SWIFT=$(SWIFT) packaging/build-deb.sh | tail -n 1)" && $(SUDO) packaging/test-deb.sh "$$deb"

# The suite under ThreadSanitizer, in its own build folder. ATALAYA_TSAN swaps the standard
# Mutex (futex-based on Linux, invisible to TSan) for a pthread mutex. Every in-process test
# runs (the agent, its services, the curl loop, the server, delivery); the suites that spawn
# the real binary are skipped: they test signals, sd_notify and the CLI against wall-clock
# deadlines that a TSan-slowed binary and simulator miss.
TSAN_FLAGS := --sanitize=thread --scratch-path .build/tsan -Xswiftc -DATALAYA_TSAN
TSAN_SKIP := ^(AtalayaAgentTests\.(AlertingEndToEndTests|BinaryLifecycleTests|CommandLineTests|CostCommandLineTests|CostEndToEndTests|EndpointsTests|RoutesEndToEndTests|EventStreamEndToEndTests|StatusPageTests|AlertmanagerClusterTests|SilenceCommandLineTests|StartupPagesBinaryTests)|AlertingTests\.EmailEndToEndTests|ShippingTests)
tsan: test-deps
	$(SWIFT) build --build-tests $(TSAN_FLAGS)
	$(SWIFT) test --skip-build $(TSAN_FLAGS) --skip '$(TSAN_SKIP)'

# libFuzzer targets for every parser of outside input (Fuzz/run.sh), FUZZ_SECONDS each
# (default 30); FUZZ_TARGETS picks some. CI runs a short pass.
fuzz: deps
	SWIFT=$(SWIFT) Fuzz/run.sh

# Benchmarks beside blackbox_exporter (bench/bench.py; not run by CI). BENCH_QUICK=1 shortens it.
bench: deps
	python3 bench/bench.py

# Profiles a running agent and rewrites packaging/atalaya.order (hot functions first in the release link).
order-file: deps
	python3 bench/order_file.py

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Fuzz/Package.swift Fuzz/Sources

clean:
	rm -rf .build
