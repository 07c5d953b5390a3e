## src/criterion-scan.mk: criterion-scan, its man page, tests and fixtures.

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
	tests/cli/criterion-scan-bad-input.sh
TESTS += $(criterion_scan_tests)

EXTRA_DIST += \
	$(criterion_scan_tests) \
	tests/cli/criterion-scan-expect.py \
	tests/data/criterion \
	bench/criterion-scan.sh
