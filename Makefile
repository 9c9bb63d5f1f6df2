# leakcheck — see README.md. `make demo` and `make check` do all set-up on a fresh Debian 12 machine.
.PHONY: all lib attach demo check unit unit-asan e2e corpus bench stress fuzz install clean setup smalltab
# Keep every object, including the ASan ones make would treat as intermediate.
.SECONDARY:
.SECONDEXPANSION:
.DEFAULT_GOAL := all

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= gcc
LIB     := $(BUILD)/libleakcheck.so
# a test build of the library (smalltab, below)
SMALL   := $(BUILD)/smalltab
PKGS    := libunwind libdw libelf zlib
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror
BASE_CFLAGS = -std=c11 -g -O2 $(WARN) -fPIC -D_GNU_SOURCE -pthread $(PKG_CFLAGS)
LIB_CFLAGS  = $(BASE_CFLAGS) -fvisibility=hidden

CORE_SRC := $(sort $(wildcard runtime/*.c report/*.c))
# interpose/attach_*.c is the attach tool (an executable of its own, never part of the library)
ATTACH_SRC := $(sort $(wildcard interpose/attach_*.c))
SHIM_SRC := $(filter-out $(ATTACH_SRC),$(sort $(wildcard interpose/*.c)))
CORE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CORE_SRC))
SHIM_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(SHIM_SRC))
HEADERS  := $(wildcard */*.h */*.inc)

all: lib attach

# Go code runs on small split-stack segments: the gccgo wrappers are built with -fsplit-stack so that every
# call from them into ordinary C (libunwind, the runtime tables) first switches to a large stack segment.
# gold is the linker that rewrites those calls.
$(BUILD)/interpose/gccgo.o $(BUILD)/interpose/gccgo_%.o \
$(SMALL)/interpose/gccgo.o $(SMALL)/interpose/gccgo_%.o: EXTRA_CFLAGS := -fsplit-stack
# Code that runs on the gc Go runtime's own threads: no stack protector (its canary lives in glibc's TLS).
$(BUILD)/interpose/gc_hooks.o $(BUILD)/interpose/gc_recorders.o \
$(SMALL)/interpose/gc_hooks.o $(SMALL)/interpose/gc_recorders.o: EXTRA_CFLAGS := -fno-stack-protector -fno-builtin -fno-tree-loop-distribute-patterns

$(BUILD)/%.o: %.c $(HEADERS) | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

# The default suppressions go beside the library, where it reads them (report/suppress.c).
SUPP := $(BUILD)/libleakcheck.supp
lib: $(LIB) $(SUPP)
$(SUPP): report/libleakcheck.supp
	@mkdir -p $(dir $@)
	cp $< $@
$(LIB): $(CORE_OBJ) $(SHIM_OBJ)
	$(CC) -shared -fuse-ld=gold -o $@ $^ $(PKG_LIBS) -ldl -pthread

# The library again with a gc channel table of 64 records (GC_CHANS_LOG2=6, interpose/gc_records.h), for the
# stress round in which the recorders' slots change hands all the time (tests/stress/run.sh).
SMALL_LIB := $(SMALL)/libleakcheck.so
$(SMALL)/%.o: %.c $(HEADERS) | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) $(EXTRA_CFLAGS) -DGC_CHANS_LOG2=6 -c $< -o $@
$(SMALL_LIB): $(patsubst $(BUILD)/%,$(SMALL)/%,$(CORE_OBJ) $(SHIM_OBJ))
	$(CC) -shared -fuse-ld=gold -o $@ $^ $(PKG_LIBS) -ldl -pthread
smalltab: $(SMALL_LIB)

# The attach tool: runtime/ and report/, the gc family's readers, and libunwind's remote unwinder.
ATTACH   := $(BUILD)/leakcheck-attach
ATTACH_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(ATTACH_SRC) interpose/gc_binary.c interpose/gc_layout.c \
                interpose/gc_goroutines.c interpose/gc_stacks.c interpose/gc_mem.c interpose/gc_tasks.c)
ATTACH_PKGS = libunwind-ptrace libunwind-generic
attach: $(ATTACH)
$(ATTACH): $(CORE_OBJ) $(ATTACH_OBJ)
	$(CC) -o $@ $^ $(shell pkg-config --libs $(ATTACH_PKGS) 2>/dev/null) $(PKG_LIBS) -ldl -pthread

$(BUILD)/libcore.a: $(CORE_OBJ)
	rm -f $@; ar rcs $@ $^

# Installs the Debian packages the build and the tests need; quiet and quick when all are there.
setup: $(BUILD)/.setup
$(BUILD)/.setup: scripts/setup
	@mkdir -p $(BUILD)
	@scripts/setup
	@touch $@

# ---- tests -------------------------------------------------------------------------------------------------
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

# test_gc also takes the gc family's readers, and reads a gc-built program in two builds.
UNIT_EXTRA_test_gc := interpose/gc_binary.c interpose/gc_layout.c interpose/gc_goroutines.c interpose/gc_stacks.c \
                      interpose/gc_mem.c interpose/gc_patch.c interpose/gc_hooks.c interpose/gc_recorders.c interpose/gc_tasks.c
GO_ENV     := GOCACHE=$(CURDIR)/$(BUILD)/gocache GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off GOFLAGS=
GO_TARGETS := $(BUILD)/unit/go/target $(BUILD)/unit/go/target-stripped
UNIT_ENV   := TARGET=$(BUILD)/unit/go/target TARGET_STRIPPED=$(BUILD)/unit/go/target-stripped
$(BUILD)/unit/go/target: tests/unit/go/target.go | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	cd tests/unit/go && $(GO_ENV) CGO_ENABLED=0 go build -o $(CURDIR)/$@ target.go
$(BUILD)/unit/go/target-stripped: tests/unit/go/target.go | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	cd tests/unit/go && $(GO_ENV) CGO_ENABLED=0 go build -buildmode=pie -ldflags=-s -o $(CURDIR)/$@ target.go

$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/libcore.a $(HEADERS) $$(UNIT_EXTRA_$$*)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -o $@ $< $(UNIT_EXTRA_$*) $(BUILD)/libcore.a $(CHECK_LIBS) $(PKG_LIBS) -ldl -pthread

unit: $(UNIT_BIN) $(GO_TARGETS)
	@for t in $(UNIT_BIN); do $(UNIT_ENV) CK_VERBOSITY=normal $$t || exit 1; done

# The same unit tests against an ASan+UBSan build of runtime/ and report/.
ASAN_DIR   := $(BUILD)/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_OBJ   := $(patsubst %.c,$(ASAN_DIR)/%.o,$(CORE_SRC))
$(ASAN_DIR)/%.o: %.c $(HEADERS) | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) -O1 -c $< -o $@
$(ASAN_DIR)/unit/%: tests/unit/%.c $(ASAN_OBJ) $(HEADERS) $$(UNIT_EXTRA_$$*)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) -O1 -o $@ $< $(UNIT_EXTRA_$*) $(ASAN_OBJ) $(CHECK_LIBS) $(PKG_LIBS) -ldl -pthread
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,$(ASAN_DIR)/unit/%,$(UNIT_SRC))
unit-asan: $(ASAN_UNIT_BIN) $(GO_TARGETS)
	@for t in $(ASAN_UNIT_BIN); do $(UNIT_ENV) CK_VERBOSITY=normal CK_FORK=no $$t || exit 1; done

e2e: lib attach
	@tests/e2e/run.sh

# Real programs (pigz, xz, zstd, sort, git, python3, node, OpenMP, bash, Go's sync/context/time tests) plain and
# under the shim: same output and status, no report unless the case names it.
corpus: lib
	@tests/corpus/run.sh

# check also runs a short stress round (2 s per runtime); `make stress` is the long one.
check: setup lib attach smalltab unit unit-asan e2e corpus
	@STRESS_SECONDS=2 tests/stress/run.sh
	@tests/check_gc_hooks.sh $(BUILD)/interpose/gc_hooks.o $(BUILD)/interpose/gc_recorders.o
	@tests/check_docs.sh

# ---- demo, bench, install ----------------------------------------------------------------------------------
demo: setup lib
	@examples/demo.sh

# The table includes ThreadSanitizer and Helgrind columns (BENCH_PEERS=0 leaves them out).
bench: setup lib attach
	@scripts/setup fuzz
	@BENCH_PEERS=$${BENCH_PEERS:-1} bench/run.sh

stress: setup lib smalltab
	@tests/stress/run.sh

# libFuzzer targets for the option and suppression parsers (FUZZ_SECONDS per target, default 20).
fuzz: setup
	@scripts/setup fuzz
	@tests/fuzz/run.sh

install: lib attach
	install -d $(DESTDIR)$(PREFIX)/lib/leakcheck $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(LIB) $(DESTDIR)$(PREFIX)/lib/leakcheck/libleakcheck.so
	install -m 0644 $(SUPP) $(DESTDIR)$(PREFIX)/lib/leakcheck/libleakcheck.supp
	install -m 0755 $(ATTACH) $(DESTDIR)$(PREFIX)/lib/leakcheck/leakcheck-attach
	install -m 0755 scripts/leakcheck $(DESTDIR)$(PREFIX)/bin/leakcheck
	install -m 0755 scripts/leakcheck-report.py $(DESTDIR)$(PREFIX)/lib/leakcheck/leakcheck-report.py

clean:
	rm -rf $(BUILD)
