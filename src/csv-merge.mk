## src/csv-merge.mk: (filled in by its issue)
