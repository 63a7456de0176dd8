#!/bin/sh
# compare.sh - run our argus on a capture and compare its flows with the
# committed expectation from Debian's argus 3.0.8 (regen.sh wrote it).
#
#   compare.sh CAPTURE EXPECTED [EXCEPTIONS]
#
# Status records are joined per (proto saddr sport daddr dport) with our
# racluster when $RACLUSTER names it, else with awk (summing counters, the
# way racluster merges records of one flow).  Lines listed in EXCEPTIONS
# (documented differences, see argus(8) COMPATIBILITY), as "- line" (an
# Argus flow we do not reproduce) or "+ line" (our flow instead), are
# expected differences.  Prints
#     matched=N expected=M ours=K
# (N counted before exceptions), then every difference not listed in
# EXCEPTIONS, and every listed one that no longer happens ("stale").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cap=$1 exp=$2 exc=${3:-}
tmp=${TMPDIR:-/tmp}/argus-compare.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM
argus -X -r "$cap" -w "$tmp/out.argus"
fields="proto saddr sport daddr dport spkts dpkts sbytes dbytes"
if [ -n "${RACLUSTER:-}" ]; then
	"$RACLUSTER" -n -r "$tmp/out.argus" -c ' ' -s $fields
else
	ra -n -r "$tmp/out.argus" -c ' ' -s $fields | awk '
		NR == 1 { next }
		{
			if ($1 == "rtp" || $1 == "rtcp") $1 = "udp"	# one flow, whatever its records say
			if (NF == 7) { k = $1 " " $2 "  " $3 " "; s = 4 } else { k = $1 " " $2 " " $3 " " $4 " " $5; s = 6 }
			if (!(k in sp)) order[n++] = k
			sp[k] += $s; dp[k] += $(s + 1); sb[k] += $(s + 2); db[k] += $(s + 3)
		}
		END { for (i = 0; i < n; i++) { k = order[i]; print k, sp[k], dp[k], sb[k], db[k] } }'
fi | sh "$here/normalize.sh" > "$tmp/ours"
cp "$exp" "$tmp/exp"
m=$(LC_ALL=C comm -12 "$tmp/exp" "$tmp/ours" | wc -l)
echo "matched=$m expected=$(wc -l < "$tmp/exp") ours=$(wc -l < "$tmp/ours")"
# Differences not explained in EXCEPTIONS.
LC_ALL=C comm -23 "$tmp/exp" "$tmp/ours" | sed 's/^/- /' > "$tmp/diff"
LC_ALL=C comm -13 "$tmp/exp" "$tmp/ours" | sed 's/^/+ /' >> "$tmp/diff"
if [ -n "$exc" ] && [ -f "$exc" ]; then
	grep '^[-+] ' "$exc" | LC_ALL=C sort > "$tmp/exc" || :
	LC_ALL=C sort "$tmp/diff" | LC_ALL=C comm -23 - "$tmp/exc"
	# Exceptions that no longer happen are stale: say so.
	LC_ALL=C sort "$tmp/diff" | LC_ALL=C comm -13 - "$tmp/exc" | sed 's/^/stale exception: /'
else
	cat "$tmp/diff"
fi
