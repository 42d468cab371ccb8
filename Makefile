# drydock: one non-recursive GNU Makefile behind build.sh.
# make VARIANT=release|debug|asan|tsan|fuzz  (build.sh chooses; tsan by hand)

VARIANT ?= release
O := build/$(VARIANT)
PKGS := sqlite3 libzstd libarchive libcrypto jansson zlib libpcap yara \
	yaml-0.1 ncursesw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# libarchive, libpcap, libyara and libcrypto load on first use (core/lazylib.h): not
# linked; their SONAMEs (of the .so the headers match) are compiled in.
LAZY_PKGS := libarchive libpcap yara libcrypto
PKG_LIBS := $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS))) \
	-lpthread -ldl -lm
soname = $(shell objdump -p "$(shell pkg-config --variable=libdir $(1))/$(2).so" \
	2>/dev/null | awk '$$1 == "SONAME" {print $$2}')
LAZY_DEFS := -DDD_SONAME_archive='"$(call soname,libarchive,libarchive)"' \
	-DDD_SONAME_pcap='"$(call soname,libpcap,libpcap)"' \
	-DDD_SONAME_yara='"$(call soname,yara,libyara)"' \
	-DDD_SONAME_crypto='"$(call soname,libcrypto,libcrypto)"'

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wimplicit-fallthrough -Wnull-dereference
ifeq ($(CI),true)
WARN += -Werror
endif

CC_release := gcc
CC_debug := gcc
CC_asan := gcc
CC_tsan := gcc
CC_fuzz := clang
CC := $(CC_$(VARIANT))

CFLAGS_release := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
CFLAGS_debug := -O0 -g3
CFLAGS_asan := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -DARENA_MALLOC_EACH
CFLAGS_fuzz := -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -DARENA_MALLOC_EACH -DDD_FUZZING
CFLAGS_tsan := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS_asan := -fsanitize=address,undefined
LDFLAGS_tsan := -fsanitize=thread
LDFLAGS_fuzz := -fsanitize=address,undefined

CFLAGS := -std=c11 -pthread $(WARN) $(CFLAGS_$(VARIANT)) -I. -Iinclude \
	$(PKG_CFLAGS) $(LAZY_DEFS) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS := -pthread -rdynamic $(LDFLAGS_$(VARIANT))

# Sources: every .c under these folders joins libdrydock.a, except mains.
LIB_SRC := $(sort $(wildcard core/*.c core/cli/*.c core/report/*.c \
	ingest/*.c analyzers/*.c analyzers/profile/*.c tui/*.c \
	datasets/replay/*.c))
LIB_SRC := $(filter-out core/cli/main.c,$(LIB_SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o) $(O)/gen/schema.o \
	$(O)/gen/net-thresholds.o
MAIN_OBJ := $(O)/core/cli/main.o

UNIT_SRC := $(sort $(wildcard tests/unit/t-*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(O)/%.o) $(O)/tests/unit/runner.o \
	$(O)/gen/unit-list.o

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fz-*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(O)/fuzz/%)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(O)/fuzz-replay/%)

.PHONY: all unit fuzz fuzz-replay plugin-example
all: $(O)/drydock $(O)/unit fuzz-replay

$(O)/libdrydock.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(O)/drydock: $(MAIN_OBJ) $(O)/libdrydock.a
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(O)/libdrydock.a $(PKG_LIBS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The schema is embedded from core/schema.sql as a C string.
$(O)/gen/schema.c: core/schema.sql
	@mkdir -p $(dir $@)
	{ echo '/* generated from core/schema.sql */'; \
	  echo 'const char store_schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

# The net analyzer's thresholds are embedded from analyzers/net-thresholds.conf.
$(O)/gen/net-thresholds.c: analyzers/net-thresholds.conf
	@mkdir -p $(dir $@)
	{ echo '/* generated from analyzers/net-thresholds.conf */'; \
	  echo 'extern const char an_net_thresholds_text[];'; \
	  echo 'const char an_net_thresholds_text[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

$(O)/gen/%.o: $(O)/gen/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests: TEST(name) definitions are collected into a table.
$(O)/gen/unit-list.c: $(UNIT_SRC) FORCE
	@mkdir -p $(dir $@)
	@{ printf '/* generated: the unit test table */\n'; \
	  printf '#include "tests/lib/test.h"\n'; \
	  sed -n 's/^TEST(\([a-z0-9_]*\)).*/\1/p' $(UNIT_SRC) | \
	    sed 's/.*/void test_&(struct test_ctx *);/'; \
	  printf 'const struct test_case test_cases[] = {\n'; \
	  sed -n 's/^TEST(\([a-z0-9_]*\)).*/\1/p' $(UNIT_SRC) | \
	    sed 's/.*/	{ "&", test_& },/'; \
	  printf '	{ 0, 0 } };\n'; } > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

.PHONY: FORCE
FORCE:

$(O)/unit: $(UNIT_OBJ) $(O)/libdrydock.a
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(O)/libdrydock.a $(PKG_LIBS)
unit: $(O)/unit

# Fuzz targets: libFuzzer under the fuzz variant, a replay driver otherwise.
.SECONDARY:

$(O)/fuzz/%: $(O)/tests/fuzz/%.o $(O)/libdrydock.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(O)/libdrydock.a $(PKG_LIBS)
$(O)/fuzz-replay/%: $(O)/tests/fuzz/%.o $(O)/tests/fuzz/driver.o $(O)/libdrydock.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(O)/tests/fuzz/driver.o $(O)/libdrydock.a $(PKG_LIBS)
fuzz: $(FUZZ_BIN)
fuzz-replay: $(FUZZ_REPLAY)

# The example out-of-tree analyzer sees only include/drydock/plugin.h.
$(O)/plugins/example.so: analyzers/plugin-example/example.c include/drydock/plugin.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -fPIC -shared -Iinclude -o $@ $<
plugin-example: $(O)/plugins/example.so

-include $(shell find $(O) -name '*.d' 2>/dev/null)
