## src/criterion-scan.mk: (filled in by its issue)
