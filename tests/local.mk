## tests/local.mk: how make check runs the tests.
##
## Shell tests (tests/cli/*.sh) source tests/cli/setup.sh; Check unit tests
## (tests/unit/check_*.c) build only when Check was found.  Each program's
## fragment adds its own tests to TESTS.

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)

# The tests find the programs in the build tree, the data in the source tree
# (VPATH builds and make distcheck keep the two apart).
AM_TESTS_ENVIRONMENT = \
	abs_top_srcdir='$(abs_top_srcdir)'; export abs_top_srcdir; \
	abs_top_builddir='$(abs_top_builddir)'; export abs_top_builddir; \
	PATH='$(abs_top_builddir)/src:$(abs_top_builddir)/scripts:'"$$PATH"; export PATH; \
	BENCHTRACK_VERSION='$(PACKAGE_VERSION)'; export BENCHTRACK_VERSION; \
	ENABLE_SANITIZERS='$(ENABLE_SANITIZERS_TRUE)'; export ENABLE_SANITIZERS; \
	CK_VERBOSITY=normal; export CK_VERBOSITY; \
	LC_ALL=C; export LC_ALL;

EXTRA_DIST += tests/cli/setup.sh tests/unit/skipped.sh

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_csv tests/unit/check_util
TESTS += tests/unit/check_csv tests/unit/check_util
tests_unit_check_csv_SOURCES = tests/unit/check_csv.c
tests_unit_check_csv_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_csv_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
tests_unit_check_util_SOURCES = tests/unit/check_util.c
tests_unit_check_util_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_util_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/check_cli
TESTS += tests/unit/check_cli
tests_unit_check_cli_SOURCES = tests/unit/check_cli.c
tests_unit_check_cli_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_cli_LDADD = $(BENCHTRACK_LIBS) $(CHECK_LIBS)
else
TESTS += tests/unit/skipped.sh
endif

# Shared by every program's tests.
TESTS += tests/cli/manpages.sh tests/cli/closed-fds.sh tests/cli/messages-quote.sh
EXTRA_DIST += tests/cli/manpages.sh tests/cli/closed-fds.sh tests/cli/messages-quote.sh tests/data/rustychickpeas
