## scripts/local.mk: the flows, shell scripts composed of the programs.
##
## Each script is made from scripts/NAME.in: the version is filled in and
## the shared awk CSV code (scripts/csv.awk) is pasted where the .in file
## says @CSV_AWK@, so an installed script needs no other file.
## SPDX-License-Identifier: MIT

flows_scripts = \
	scripts/benchtrack-collect \
	scripts/benchtrack-allocs \
	scripts/benchtrack-plot \
	scripts/benchtrack-check

bin_SCRIPTS += $(flows_scripts)
CLEANFILES += $(flows_scripts)
EXTRA_DIST += $(flows_scripts:=.in) scripts/csv.awk scripts/action-steps.sh
dist_man_MANS += \
	man/benchtrack-collect.1 \
	man/benchtrack-allocs.1 \
	man/benchtrack-plot.1 \
	man/benchtrack-check.1

flows_subst = sed \
	-e 's|@PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g' \
	-e '/^@CSV_AWK@$$/{' -e 'r $(srcdir)/scripts/csv.awk' -e 'd' -e '}'

# Spelled out once per script: pattern rules are GNU make only.
flows_generate = $(AM_V_GEN)$(MKDIR_P) scripts && rm -f $@ $@-t && \
	$(flows_subst) $(srcdir)/$@.in >$@-t && chmod +x $@-t && chmod a-w $@-t && mv $@-t $@

scripts/benchtrack-collect: $(srcdir)/scripts/benchtrack-collect.in $(srcdir)/scripts/csv.awk Makefile
	$(flows_generate)
scripts/benchtrack-allocs: $(srcdir)/scripts/benchtrack-allocs.in $(srcdir)/scripts/csv.awk Makefile
	$(flows_generate)
scripts/benchtrack-plot: $(srcdir)/scripts/benchtrack-plot.in $(srcdir)/scripts/csv.awk Makefile
	$(flows_generate)
scripts/benchtrack-check: $(srcdir)/scripts/benchtrack-check.in Makefile
	$(flows_generate)

flows_tests = \
	tests/cli/flows-usage.sh \
	tests/cli/flows-shellcheck.sh \
	tests/cli/flows-check.sh \
	tests/cli/flows-collect.sh \
	tests/cli/flows-names.sh \
	tests/cli/flows-allocs.sh \
	tests/cli/flows-allocs-rust.sh \
	tests/cli/flows-plot.sh \
	tests/cli/flows-action.sh \
	tests/cli/flows-demo.sh
TESTS += $(flows_tests)
EXTRA_DIST += $(flows_tests) tests/data/flows action.yml docs/github-actions.md docs/img/sample

# The sample project (not its target/ folder, when it was built in place).
EXTRA_DIST += \
	bench/sample/README.md \
	bench/sample/Cargo.toml \
	bench/sample/.cargo/config.toml \
	bench/sample/src/lib.rs \
	bench/sample/benches/sample.rs \
	bench/sample/generate.sh \
	bench/sample/demo.sh \
	bench/sample/results

# A stand-in for a Criterion bench binary (tests/cli/flows-allocs.sh): it
# answers --bench --list and --bench --test as Criterion does and
# allocates a known number of blocks per benchmark.
check_PROGRAMS += tests/cli/flows-fakebench
tests_cli_flows_fakebench_SOURCES = tests/cli/flows-fakebench.c
# Never with the sanitizers: the test preloads dhat-preload.so into it.
tests_cli_flows_fakebench_CFLAGS = $(WARN_CFLAGS)
tests_cli_flows_fakebench_LDFLAGS =

# make demo: the README's main job.  Collects the bundled sample's results
# (bench/sample/results, one folder per revision of the sample) with the
# programs of this build tree into a temporary history, draws its charts,
# and says where they are.
demo: all
	@PATH='$(abs_top_builddir)/src:$(abs_top_builddir)/scripts:$(abs_top_builddir)/preload:'"$$PATH" \
	  $(SHELL) $(srcdir)/bench/sample/demo.sh
.PHONY: demo

# make sample-img: redraw the sample's charts the README shows
# (docs/img/sample, committed; tests/cli/flows-demo.sh checks they are
# current).
sample-img: all
	@rm -rf sample-img.tmp && \
	PATH='$(abs_top_builddir)/src:$(abs_top_builddir)/scripts:$(abs_top_builddir)/preload:'"$$PATH" \
	  $(SHELL) $(srcdir)/bench/sample/demo.sh sample-img.tmp >/dev/null && \
	$(MKDIR_P) $(srcdir)/docs/img/sample && \
	cp sample-img.tmp/img/*.svg $(srcdir)/docs/img/sample/ && rm -rf sample-img.tmp && \
	echo "sample-img: redrew $(srcdir)/docs/img/sample"
.PHONY: sample-img
