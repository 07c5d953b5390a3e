## src/dhat-scan.mk: dhat-scan, its DHAT reader, man page, tests, fixtures
## and benchmark.

# The DHAT reader: any program linking $(BENCHTRACK_LIBS) can use dhat.h.
lib_libbenchtrack_la_SOURCES += lib/dhat.c lib/dhat.h

bin_PROGRAMS += src/dhat-scan
src_dhat_scan_SOURCES = src/dhat-scan.c
src_dhat_scan_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
src_dhat_scan_LDADD = $(BENCHTRACK_LIBS)

dist_man_MANS += man/dhat-scan.1

DHAT_SCAN_TESTS = \
	tests/cli/dhat-scan-valgrind.sh \
	tests/cli/dhat-scan-formats.sh \
	tests/cli/dhat-scan-names.sh \
	tests/cli/dhat-scan-runs.sh \
	tests/cli/dhat-scan-bad.sh \
	tests/cli/dhat-scan-top.sh \
	tests/cli/dhat-scan-cli.sh \
	tests/cli/dhat-scan-stream.sh \
	tests/cli/dhat-scan-special-files.sh \
	tests/cli/dhat-scan-u64.sh \
	tests/cli/dhat-scan-read-boundary.sh \
	tests/cli/dhat-scan-live.sh
TESTS += $(DHAT_SCAN_TESTS)

EXTRA_DIST += \
	$(DHAT_SCAN_TESTS) \
	tests/data/dhat \
	bench/dhat-scan.sh

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_dhat
TESTS += tests/unit/check_dhat
tests_unit_check_dhat_SOURCES = tests/unit/check_dhat.c
tests_unit_check_dhat_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_dhat_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
endif
