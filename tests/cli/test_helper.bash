# test_helper.bash - loaded by every .bats suite: assertions, paths, a pinned environment.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

: "${top_srcdir:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
DATA="$top_srcdir/tests/data"
CORPUS="$top_srcdir/tests/corpus"
export TZ=UTC LC_ALL=C
set -o pipefail	# a pipeline in a test fails when any stage fails
# The first n lines, reading the rest (head would exit and kill the writer
# with SIGPIPE, which pipefail reports as a failure).
first() { awk -v n="$1" 'NR <= n'; }
export HOME="$BATS_TEST_TMPDIR"	# no user ~/.rarc leaks into a test
unset RA_TIME_FORMAT RA_FIELD_DELIMITER RA_PRINT_LABELS RA_PRINT_NAMES RA_USEC_PRECISION
for d in tests/gen tests raclickhouse rafilteraddr rastream radium ratop raban raservices radump ragraph rabins rasort racluster argus ra; do PATH="$top_builddir/$d:$PATH"; done
# Tests that pick a port at random take it from 20000-31999: below the kernel's
# ephemeral range (32768 on), where a client's own connection could hold it.
