## preload/local.mk: (filled in by its issue)
