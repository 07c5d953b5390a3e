## lib/local.mk: the internal library every program links.

noinst_LTLIBRARIES += lib/libbenchtrack.la
lib_libbenchtrack_la_SOURCES = \
	lib/atomicfile.c lib/atomicfile.h \
	lib/cli.c lib/cli.h \
	lib/csv.c lib/csv.h \
	lib/history.c lib/history.h \
	lib/numfmt.c lib/numfmt.h \
	lib/strmap.c lib/strmap.h
lib_libbenchtrack_la_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
lib_libbenchtrack_la_LIBADD = -lm

# What a program links: the library and json-c.
BENCHTRACK_LIBS = lib/libbenchtrack.la $(JSONC_LIBS)
