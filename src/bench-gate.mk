## src/bench-gate.mk: bench-gate, the regression gate, its statistics
## (lib/gate), man page, tests and fixtures.

lib_libbenchtrack_la_SOURCES += lib/gate.c lib/gate.h

bin_PROGRAMS += src/bench-gate
src_bench_gate_SOURCES = src/bench-gate.c
src_bench_gate_LDADD = $(BENCHTRACK_LIBS)

dist_man_MANS += man/bench-gate.1

bench_gate_tests = \
	tests/cli/bench-gate-verdicts.sh \
	tests/cli/bench-gate-history.sh \
	tests/cli/bench-gate-errors.sh \
	tests/cli/bench-gate-family.sh
TESTS += $(bench_gate_tests)
EXTRA_DIST += $(bench_gate_tests) bench/gate-speed.sh bench/gate.sh bench/gate-sim.py

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_gate
TESTS += tests/unit/check_gate
tests_unit_check_gate_SOURCES = tests/unit/check_gate.c
tests_unit_check_gate_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_gate_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
endif
