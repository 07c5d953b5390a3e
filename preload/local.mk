## preload/local.mk: dhat-preload.so (an LD_PRELOAD heap profiler writing
## DHAT v2 files), its API header, dhat-run, their man pages and tests.

# The library is plain C that must not link libbenchtrack (which
# allocates) nor run under ASan (whose allocator it would fight), hence its
# own CFLAGS and LDFLAGS.  -fno-builtin: GCC would otherwise turn code in
# the hooks into calls to the hooks (malloc + memset -> calloc).
pkglib_LTLIBRARIES += preload/dhat-preload.la
preload_dhat_preload_la_SOURCES = preload/dhat-preload.c preload/unwind.c preload/unwind.h
preload_dhat_preload_la_CFLAGS = $(WARN_CFLAGS) -fno-builtin -fvisibility=hidden \
	-ftls-model=initial-exec -pthread
preload_dhat_preload_la_LDFLAGS = -module -avoid-version -shared -pthread \
	-export-symbols-regex '^(malloc|free|cfree|calloc|realloc|reallocarray|posix_memalign|aligned_alloc|memalign|valloc|pvalloc|malloc_usable_size|dlclose|dhat_preload_api_[a-z_]+)$$'

include_HEADERS += preload/dhat-preload.h

# dhat-criterion.so: what "dhat-run --criterion" loads beside it to cut the
# span Criterion times out of a test-mode run (see its header).
pkglib_LTLIBRARIES += preload/dhat-criterion.la
preload_dhat_criterion_la_SOURCES = preload/dhat-criterion.c
preload_dhat_criterion_la_CFLAGS = $(WARN_CFLAGS) -fno-builtin -fvisibility=hidden -pthread
preload_dhat_criterion_la_LDFLAGS = -module -avoid-version -shared -pthread \
	-export-symbols-regex '^(clock_gettime|write)$$'

# dhat-run finds the library in $(pkglibdir), or beside itself in .libs
# when it runs from the build tree.
bin_SCRIPTS += preload/dhat-run
CLEANFILES += preload/dhat-run
EXTRA_DIST += preload/dhat-run.in
preload/dhat-run: preload/dhat-run.in Makefile
	$(AM_V_GEN)$(MKDIR_P) preload && \
	sed -e 's|@pkglibdir[@]|$(pkglibdir)|g' \
	    -e 's|@PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g' \
	    $(srcdir)/preload/dhat-run.in >$@-t && \
	chmod +x $@-t && mv -f $@-t $@

dist_man_MANS += man/dhat-run.1 man/dhat-preload.3

# Test programs: never built with the sanitizers, so that the tests can
# preload the library into them in a sanitizer build too.  -fno-builtin
# and no inlining keep every allocation and every call site in the binary;
# -export-dynamic lets dladdr name their functions.
PRELOAD_TEST_CCOPTS = $(WARN_CFLAGS) -I$(srcdir)/preload -fno-builtin -fno-inline \
	-fno-optimize-sibling-calls -pthread
PRELOAD_TEST_LDOPTS = -pthread -export-dynamic
check_PROGRAMS += tests/preload/alloc-workload tests/preload/entry-points \
	tests/preload/api-count tests/preload/lifecycle tests/preload/unwind-check \
	tests/preload/signals
tests_preload_alloc_workload_SOURCES = tests/preload/alloc-workload.c
tests_preload_alloc_workload_CFLAGS = $(PRELOAD_TEST_CCOPTS)
tests_preload_alloc_workload_LDFLAGS = $(PRELOAD_TEST_LDOPTS)
tests_preload_entry_points_SOURCES = tests/preload/entry-points.c
tests_preload_entry_points_CFLAGS = $(PRELOAD_TEST_CCOPTS)
tests_preload_entry_points_LDFLAGS = $(PRELOAD_TEST_LDOPTS)
tests_preload_api_count_SOURCES = tests/preload/api-count.c
tests_preload_api_count_CFLAGS = $(PRELOAD_TEST_CCOPTS)
tests_preload_api_count_LDFLAGS = $(PRELOAD_TEST_LDOPTS)
tests_preload_lifecycle_SOURCES = tests/preload/lifecycle.c
tests_preload_lifecycle_CFLAGS = $(PRELOAD_TEST_CCOPTS)
tests_preload_lifecycle_LDFLAGS = $(PRELOAD_TEST_LDOPTS)
tests_preload_signals_SOURCES = tests/preload/signals.c
tests_preload_signals_CFLAGS = $(PRELOAD_TEST_CCOPTS)
tests_preload_signals_LDFLAGS = $(PRELOAD_TEST_LDOPTS)
# timer_create: in libc since glibc 2.34, in librt before.
tests_preload_signals_LDADD = -lrt
# The stack walker, compiled in: compared with libunwind and libgcc.
tests_preload_unwind_check_SOURCES = tests/preload/unwind-check.c preload/unwind.c \
	preload/unwind.h
tests_preload_unwind_check_CFLAGS = $(PRELOAD_TEST_CCOPTS)
tests_preload_unwind_check_LDFLAGS = $(PRELOAD_TEST_LDOPTS)

TESTS += \
	tests/preload/unwind-check \
	tests/cli/dhat-run-options.sh \
	tests/cli/dhat-run-criterion.sh \
	tests/cli/preload-entry-points.sh \
	tests/cli/preload-api.sh \
	tests/cli/preload-valgrind.sh \
	tests/cli/preload-viewer.sh \
	tests/cli/preload-lifecycle.sh \
	tests/cli/preload-stress.sh \
	tests/cli/preload-unwinders.sh \
	tests/cli/preload-rust.sh \
	tests/cli/preload-signals.sh

EXTRA_DIST += \
	tests/cli/dhat-run-options.sh \
	tests/cli/dhat-run-criterion.sh \
	tests/cli/preload-entry-points.sh \
	tests/cli/preload-api.sh \
	tests/cli/preload-valgrind.sh \
	tests/cli/preload-viewer.sh \
	tests/cli/preload-lifecycle.sh \
	tests/cli/preload-stress.sh \
	tests/cli/preload-rust.sh \
	tests/cli/preload-unwinders.sh \
	tests/cli/preload-signals.sh \
	tests/cli/preload-common.sh \
	tests/preload/dhat-sites.py \
	tests/preload/dh-view-check.js \
	tests/preload/dhat-check.py \
	tests/preload/rust-criterion/Cargo.toml \
	tests/preload/rust-criterion/.cargo/config.toml \
	tests/preload/rust-criterion/src/lib.rs \
	tests/preload/rust-criterion/benches/allocs.rs \
	bench/preload.sh
