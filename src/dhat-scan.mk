## src/dhat-scan.mk: (filled in by its issue)
