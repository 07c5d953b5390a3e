## tests/fuzz/local.mk: make fuzz builds the libFuzzer targets of
## tests/fuzz with clang (named by FUZZ_CLANG, whatever CC is: libFuzzer is
## clang's) and runs each for FUZZ_SECONDS, one process at a time; it fails
## on any finding, once every target has run.  Neither all nor check builds
## them.

FUZZ_SECONDS = 60
FUZZ_CLANG = clang
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS = csv criterion_stream criterion_tree dhat

fuzz_compile = $(FUZZ_CLANG) $(FUZZ_CFLAGS) $(WARN_CFLAGS) -I$(top_builddir) \
	-I$(top_srcdir)/lib $(JSONC_CFLAGS)
fuzz_link = $(JSONC_LIBS) -lm
fuzz_csv_lib = $(top_srcdir)/lib/cli.c $(top_srcdir)/lib/csv.c $(top_srcdir)/lib/strmap.c
# What criterion-scan links; the targets include src/criterion-scan.c.
fuzz_criterion_lib = $(fuzz_csv_lib) $(top_srcdir)/lib/numfmt.c $(top_srcdir)/lib/decimal.c \
	$(top_srcdir)/lib/criterion-id.c
fuzz_criterion_deps = $(fuzz_criterion_lib) $(top_srcdir)/src/criterion-scan.c \
	$(top_srcdir)/lib/cli.h $(top_srcdir)/lib/csv.h $(top_srcdir)/lib/strmap.h \
	$(top_srcdir)/lib/numfmt.h $(top_srcdir)/lib/decimal.h $(top_srcdir)/lib/criterion-id.h
fuzz_programs = tests/fuzz/fuzz_csv tests/fuzz/fuzz_criterion_stream \
	tests/fuzz/fuzz_criterion_tree tests/fuzz/fuzz_dhat

tests/fuzz/fuzz_csv: $(top_srcdir)/tests/fuzz/fuzz_csv.c $(fuzz_csv_lib) \
		$(top_srcdir)/lib/csv.h config.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(fuzz_compile) -o $@ \
	  $(top_srcdir)/tests/fuzz/fuzz_csv.c $(fuzz_csv_lib) $(fuzz_link)
tests/fuzz/fuzz_criterion_stream: $(top_srcdir)/tests/fuzz/fuzz_criterion_stream.c \
		$(fuzz_criterion_deps) config.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(fuzz_compile) -o $@ \
	  $(top_srcdir)/tests/fuzz/fuzz_criterion_stream.c $(fuzz_criterion_lib) $(fuzz_link)
tests/fuzz/fuzz_criterion_tree: $(top_srcdir)/tests/fuzz/fuzz_criterion_tree.c \
		$(fuzz_criterion_deps) config.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(fuzz_compile) -o $@ \
	  $(top_srcdir)/tests/fuzz/fuzz_criterion_tree.c $(fuzz_criterion_lib) $(fuzz_link)
# The target includes lib/dhat.c.
tests/fuzz/fuzz_dhat: $(top_srcdir)/tests/fuzz/fuzz_dhat.c $(top_srcdir)/lib/dhat.c \
		$(top_srcdir)/lib/dhat.h $(top_srcdir)/lib/cli.c $(top_srcdir)/lib/cli.h config.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(fuzz_compile) -o $@ \
	  $(top_srcdir)/tests/fuzz/fuzz_dhat.c $(top_srcdir)/lib/cli.c $(fuzz_link)

fuzz-build: $(fuzz_programs)
fuzz: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
	  $(SHELL) $(top_srcdir)/tests/fuzz/run.sh tests/fuzz/fuzz_$$t $$t $(FUZZ_SECONDS) \
	    tests/fuzz || fail=1; \
	done; exit $$fail
fuzz-clean:
	-rm -rf tests/fuzz/corpus tests/fuzz/findings tests/fuzz/*.log $(fuzz_programs)
clean-local: fuzz-clean
.PHONY: fuzz fuzz-build fuzz-clean

EXTRA_DIST += tests/fuzz/local.mk tests/fuzz/run.sh tests/fuzz/seeds.sh tests/fuzz/seeds \
	tests/fuzz/fuzz_csv.c tests/fuzz/fuzz_criterion_stream.c tests/fuzz/fuzz_criterion_tree.c \
	tests/fuzz/fuzz_dhat.c
