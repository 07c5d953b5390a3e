## bench/local.mk: the benchmarks.  They print figures; they are not tests.
## (They use the test programs too: bench/preload.sh runs the workload
## tests/preload/alloc-workload.)
##
##   make bench         run every benchmark and print its figures
##   make bench-record  the same, recorded through the flows into
##                      bench/results/ and drawn in bench/img/ (dogfood)

EXTRA_DIST += bench/bencher.sh bench/record.sh bench/README.md bench/results bench/img

bench: all $(check_PROGRAMS)
	BENCH_ONLY='$(BENCH_ONLY)' $(SHELL) $(srcdir)/bench/record.sh --print-only $(abs_builddir)

bench-record: all $(check_PROGRAMS)
	BENCH_ONLY='$(BENCH_ONLY)' $(SHELL) $(srcdir)/bench/record.sh $(abs_builddir)

BENCH_ONLY = csv-merge criterion-scan dhat-scan charts preload
.PHONY: bench bench-record
