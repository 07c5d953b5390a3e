## scripts/local.mk: the shell flows and the README's main job.

# The main job of the README's Quick start: until the flows exist, merge the
# bundled real histories into one and show what came out.
demo: all
	@out=$${TMPDIR:-/tmp}/benchtrack-demo; mkdir -p "$$out"; \
	src/csv-merge -o "$$out/history.csv" \
	  $(srcdir)/tests/data/rustychickpeas/github.csv \
	  $(srcdir)/tests/data/rustychickpeas/local.csv && \
	echo "demo: merged $$(($$(wc -l <"$$out/history.csv") - 1)) rows of real history into $$out/history.csv"
.PHONY: demo
