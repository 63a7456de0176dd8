# bench/common.sh - shared helpers for the benchmark scripts (sourced).
# B: build directory with our programs; WORK: scratch directory (big files).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$top/build}
WORK=${WORK:-/tmp/argus-bench}
mkdir -p "$WORK"
export TZ=UTC LC_ALL=C

# cpu_seconds CMD...: run once, print user+system seconds and max RSS (KiB) as "secs rss".
cpu_seconds() {
	/usr/bin/time -f '%U %S %M' -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.stderr" || {
		cat "$WORK/.stderr" >&2
		return 1
	}
	awk '{printf "%.3f %d\n", $1 + $2, $3}' "$WORK/.time"
}

# best_of N CMD...: the lowest CPU time of N runs.
best_of() {
	n=$1; shift
	best=""
	for _ in $(seq "$n"); do
		r=$(cpu_seconds "$@")
		s=${r% *}
		if [ -z "$best" ] || awk -v a="$s" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best=$r; fi
	done
	echo "$best"
}

# rate COUNT SECS: COUNT/SECS in millions a second.
rate() { awk -v n="$1" -v s="$2" 'BEGIN{ if (s <= 0) s = 0.001; printf "%.2f", n / s / 1e6 }'; }

report() {	# report LABEL COUNT "secs rss"
	printf '%-58s %10s M/s  (%ss CPU, %s MiB max RSS)\n' "$1" "$(rate "$2" "${3% *}")" "${3% *}" \
		"$(awk -v k="${3#* }" 'BEGIN{printf "%.0f", k/1024}')"
}
