#!/bin/sh
# badge -d DIR writes only inside DIR: the same checks as sparkline's.
PROG=badge SUFFIX=_badge . "$abs_top_srcdir/tests/cli/sparkline-links.sh"
