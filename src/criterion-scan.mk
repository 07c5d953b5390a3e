## src/criterion-scan.mk: criterion-scan, its man page, tests and fixtures.

# Exact decimal rescaling (µs to ns without rounding error).
lib_libbenchtrack_la_SOURCES += lib/decimal.c lib/decimal.h
# The name of a benchmark from its benchmark.json (dhat-scan uses it too).
lib_libbenchtrack_la_SOURCES += lib/criterion-id.c lib/criterion-id.h

bin_PROGRAMS += src/criterion-scan
src_criterion_scan_SOURCES = src/criterion-scan.c
src_criterion_scan_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
src_criterion_scan_LDADD = $(BENCHTRACK_LIBS)

dist_man_MANS += man/criterion-scan.1

criterion_scan_tests = \
	tests/cli/criterion-scan-options.sh \
	tests/cli/criterion-scan-tree.sh \
	tests/cli/criterion-scan-text.sh \
	tests/cli/criterion-scan-bencher.sh \
	tests/cli/criterion-scan-cargo-criterion.sh \
	tests/cli/criterion-scan-estimates.sh \
	tests/cli/criterion-scan-bad-input.sh \
	tests/cli/criterion-scan-bad-times.sh \
	tests/cli/criterion-scan-special-files.sh
TESTS += $(criterion_scan_tests)

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_decimal
TESTS += tests/unit/check_decimal
tests_unit_check_decimal_SOURCES = tests/unit/check_decimal.c
tests_unit_check_decimal_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_decimal_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
endif

EXTRA_DIST += \
	$(criterion_scan_tests) \
	tests/cli/criterion-scan-expect.py \
	tests/data/criterion \
	bench/criterion-scan.sh
