## src/charts.mk: (filled in by its issue)
