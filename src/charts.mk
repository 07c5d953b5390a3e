## src/charts.mk: sparkline and badge, the two programs that draw the
## history, and the library code they share (SVG text and badges, the
## Verdana width table, series read from history CSV).

lib_libbenchtrack_la_SOURCES += \
	lib/atomicbatch.c lib/atomicbatch.h \
	lib/series.c lib/series.h \
	lib/svg.c lib/svg.h \
	lib/verdana-widths.c lib/verdana-widths.h

bin_PROGRAMS += src/sparkline src/badge
src_sparkline_SOURCES = src/sparkline.c
src_sparkline_LDADD = $(BENCHTRACK_LIBS)
src_badge_SOURCES = src/badge.c
src_badge_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
src_badge_LDADD = $(BENCHTRACK_LIBS)

dist_man_MANS += man/sparkline.1 man/badge.1

CHARTS_TESTS = \
	tests/cli/sparkline-basic.sh \
	tests/cli/sparkline-original-data.sh \
	tests/cli/sparkline-text.sh \
	tests/cli/sparkline-directory.sh \
	tests/cli/sparkline-escaping.sh \
	tests/cli/sparkline-errors.sh \
	tests/cli/sparkline-golden.sh \
	tests/cli/sparkline-options.sh \
	tests/cli/sparkline-links.sh \
	tests/cli/sparkline-direction.sh \
	tests/cli/badge-shields.sh \
	tests/cli/badge-original-data.sh \
	tests/cli/badge-directory.sh \
	tests/cli/badge-escaping.sh \
	tests/cli/badge-errors.sh \
	tests/cli/badge-golden.sh \
	tests/cli/badge-json.sh \
	tests/cli/badge-options.sh \
	tests/cli/badge-links.sh
TESTS += $(CHARTS_TESTS)

EXTRA_DIST += $(CHARTS_TESTS) tests/cli/charts-lib.sh tests/data/charts \
	build-aux/gen-verdana-widths.py bench/charts.sh docs/img

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_svg tests/unit/check_series tests/unit/check_atomicbatch
TESTS += tests/unit/check_svg tests/unit/check_series tests/unit/check_atomicbatch
tests_unit_check_svg_SOURCES = tests/unit/check_svg.c
tests_unit_check_svg_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_svg_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
tests_unit_check_series_SOURCES = tests/unit/check_series.c
tests_unit_check_series_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_series_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
tests_unit_check_atomicbatch_SOURCES = tests/unit/check_atomicbatch.c
tests_unit_check_atomicbatch_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_atomicbatch_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
endif
