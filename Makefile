# jt: plain GNU make, no generated build system.
#
#   make            build the tools into build/bin
#   make check      install missing packages (as root), build, run every test,
#                   then rebuild with ASan+UBSan and run them all again
#   make demo       build and run the whole pipeline on generated sample data
#   make bench      run the benchmarks under scripts/bench
#   make install    PREFIX=/usr/local DESTDIR= (binaries and man pages)

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
BUILD    ?= build
CC       ?= cc
OPT      ?= -O2 -g
WARN      = -Wall -Wextra -Wshadow -Wformat=2 -Werror
STD       = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(SAN),1)
OPT       = -O1 -g -fno-omit-frame-pointer \
            -fsanitize=address,undefined -fno-sanitize-recover=all
endif
CPPFLAGS += -Ilib -DJT_VERSION='"$(VERSION)"'
ALL_CFLAGS = $(STD) $(OPT) $(WARN) $(CFLAGS)
# Dependency files live apart from the binaries (build/dep/...).
DEP        = -MMD -MP -MF $(BUILD)/dep/$(subst /,_,$@).d
LDLIBS    = -lcsv -lpcre2-8 -lz -lm -pthread

LIB_SRC   = $(sort $(wildcard lib/*.c))
LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBJT     = $(BUILD)/libjt.a
TOOLS     = $(sort $(patsubst cmd/%.c,%,$(wildcard cmd/*.c)))
# Tools written in sh (scripts/jt-*): copied into build/bin with the version.
SCRIPT_TOOLS = jt-nightly
BINS      = $(TOOLS:%=$(BUILD)/bin/%) $(SCRIPT_TOOLS:%=$(BUILD)/bin/%)
UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
BENCH_SRC = $(sort $(wildcard scripts/bench/*.c))
BENCH_BINS = $(BENCH_SRC:scripts/bench/%.c=$(BUILD)/bench/%)
MANS      = $(sort $(wildcard man/*.[1-9]))

.PHONY: all unit benchbins deps check demo bench install uninstall clean mancheck world \
        format format-check

all: $(BINS)

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(DEP) -c -o $@ $<

$(SCRIPT_TOOLS:%=$(BUILD)/bin/%): $(BUILD)/bin/%: scripts/%
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VERSION)/' $< >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@

$(LIBJT): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: cmd/%.c $(LIBJT)
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(DEP) -o $@ $< $(LIBJT) $(LDFLAGS) $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c $(LIBJT)
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(DEP) -o $@ $< $(LIBJT) $(LDFLAGS) $(LDLIBS) -lcmocka -ljansson

$(BUILD)/bench/%: scripts/bench/%.c $(LIBJT)
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(DEP) -o $@ $< $(LIBJT) $(LDFLAGS) $(LDLIBS)

unit: $(UNIT_BINS)

benchbins: $(BENCH_BINS)

deps:
	@scripts/deps.sh

# Two full passes: the optimised build, then ASan+UBSan.  scripts/check.sh
# prints TAP and ends with the line "N passed, N failed" over both passes.
check: deps
	@$(MAKE) --no-print-directory all unit $(BENCH_BINS)
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/san SAN=1 all unit benchbins
	@scripts/check.sh $(BUILD) $(BUILD)/san

mancheck:
	mandoc -Tlint -W warning $(MANS)

demo: deps all
	@scripts/demo.sh $(BUILD)/bin

# The bundled world of the tests and the demo, made by jt-gen itself.
world: $(BUILD)/bin/jt-gen
	$(BUILD)/bin/jt-gen -q --persons 2000 --seed 1 --gzip --force --out testdata/world

bench: all $(BENCH_BINS)
	@for b in scripts/bench/*.sh; do echo "== $$b"; BUILD=$(BUILD) $$b || exit 1; done

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	for m in $(MANS); do \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(SCRIPT_TOOLS:%=$(DESTDIR)$(BINDIR)/%)
	for m in $(MANS); do s=$${m##*.}; \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done

format:
	clang-format -i lib/*.[ch] cmd/*.c tests/unit/*.[ch] scripts/bench/*.c

format-check:
	clang-format --dry-run --Werror lib/*.[ch] cmd/*.c tests/unit/*.[ch] scripts/bench/*.c

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/dep/*.d)
