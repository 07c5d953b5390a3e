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
scripts/benchtrack-check: $(srcdir)/scripts/benchtrack-check.in $(srcdir)/scripts/csv.awk Makefile
	$(flows_generate)

flows_tests = \
	tests/cli/flows-check.sh \
	tests/cli/flows-collect.sh \
	tests/cli/flows-plot.sh \
	tests/cli/flows-allocs.sh \
	tests/cli/flows-action.sh \
	tests/cli/flows-shellcheck.sh \
	tests/cli/flows-demo.sh
TESTS += $(flows_tests)
EXTRA_DIST += $(flows_tests) tests/data/flows bench/sample action.yml docs/github-actions.md docs/img/sample
# The tests run the scripts from the build tree.
check_SCRIPTS = $(flows_scripts)

# make demo: the README's main job.  Collects the bundled sample's results
# (bench/sample/results, one folder per revision of the sample) with the
# programs of this build tree into a temporary history, draws its charts,
# and says where they are.
demo: all
	@PATH='$(abs_top_builddir)/src:$(abs_top_builddir)/scripts:$(abs_top_builddir)/preload:'"$$PATH" \
	  $(SHELL) $(srcdir)/bench/sample/demo.sh
.PHONY: demo
