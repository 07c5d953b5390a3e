## src/csv-merge.mk: csv-merge, its manual and its tests.

bin_PROGRAMS += src/csv-merge
src_csv_merge_SOURCES = src/csv-merge.c
src_csv_merge_LDADD = $(BENCHTRACK_LIBS)
dist_man_MANS += man/csv-merge.1
csv_merge_tests = \
	tests/cli/csv-merge-layout.sh \
	tests/cli/csv-merge-key.sh \
	tests/cli/csv-merge-join.sh \
	tests/cli/csv-merge-keep.sh \
	tests/cli/csv-merge-output.sh \
	tests/cli/csv-merge-errors.sh \
	tests/cli/csv-merge-special-files.sh \
	tests/cli/csv-merge-concurrent.sh \
	tests/cli/csv-merge-stale-temp.sh \
	tests/cli/csv-merge-time-rows.sh
TESTS += $(csv_merge_tests)
EXTRA_DIST += $(csv_merge_tests) tests/data/csv-merge bench/csv-merge.sh
