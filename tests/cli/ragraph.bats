#!/usr/bin/env bats
# ragraph.bats - graphs: the issue's commands, valid PNG/SVG/PDF of the asked
# size (file, pdfinfo, the PNG's chunks through zlib), the table equal to
# rabins' output, top N plus "other" adding up, bad input.
load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/sample-v1.argus" sample.argus
	# twenty minutes of today, 10:40 to 11:00 UTC, sources 10.0.0.1 to 10.0.0.16
	ragen -n 40000 -s 2 -t "$(date -u -d 'today 10:40' +%s)" -g 30000 -a 16 -w day.argus
}

png_ok() {	# $1 a PNG of $2 x $3: signature, IHDR, every chunk's CRC, IDAT inflating to the rows
	python3 - "$@" <<'EOF'
import sys, struct, zlib
p, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = open(p, 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
i, idat, seen = 8, b'', []
while i < len(d):
    n, = struct.unpack('>I', d[i:i + 4]); t = d[i + 4:i + 8]; body = d[i + 8:i + 8 + n]
    crc, = struct.unpack('>I', d[i + 8 + n:i + 12 + n])
    assert zlib.crc32(t + body) & 0xffffffff == crc, 'crc of ' + t.decode()
    seen.append(t)
    if t == b'IHDR':
        W, H, depth, ctype = struct.unpack('>IIBB', body[:10])
        assert (W, H) == (w, h), 'size %dx%d' % (W, H)
    if t == b'IDAT':
        idat += body
    i += 12 + n
assert seen[0] == b'IHDR' and seen[-1] == b'IEND', 'chunk order'
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4}[ctype]
assert len(raw) == h * (1 + w * bpp), 'pixel data'
rows = [raw[r * (1 + w * bpp) + 1:(r + 1) * (1 + w * bpp)] for r in range(h)]
assert len(set(rows)) > 20, 'a picture, not a blank'
EOF
}

@test "the issue's commands run and write real PNG files" {
	set -o pipefail
	ra -r day.argus -w - -t 10:50:00-11:00:00 - src net 10.0.0.0/8 | ragraph saddr dbytes -M 1s -r -
	png_ok ragraph.png 900 450
	rm ragraph.png
	ra -r day.argus -w - - src host 10.0.0.5 | ragraph dbytes daddr -title 'dbytes requested by 10.0.0.5' -M 1s -r -
	png_ok ragraph.png 900 450
	ragraph bytes dport -M 1m -r day.argus -w ports.png
	png_ok ports.png 900 450
	run -0 file ports.png
	assert_output "ports.png: PNG image data, 900 x 450, 8-bit/color RGB, non-interlaced"
}

@test "PNG, SVG and PDF of the asked size, by the extension" {
	ragraph sbytes dbytes proto -M 10s -r day.argus -w g.png -width 640 -height 300
	png_ok g.png 640 300
	ragraph sbytes dbytes proto -M 10s -r day.argus -w g.svg -width 640 -height 300
	run -0 file g.svg
	assert_output "g.svg: SVG Scalable Vector Graphics image"
	grep -q 'width="640pt" height="300pt"' g.svg || grep -q 'width="640" height="300"' g.svg
	ragraph sbytes dbytes proto -M 10s -r day.argus -w g.pdf -width 640 -height 300
	run -0 pdfinfo g.pdf
	assert_line --regexp '^Pages: +1$'
	assert_line --regexp '^Page size: +640 x 300 pts$'
	ragraph bytes -M 1m -r day.argus -w - > out.png
	png_ok out.png 900 450
}

@test "-w - is refused on a terminal" {
	command -v script >/dev/null || skip "script(1) not installed"
	run script -qec "ragraph bytes -M 1m -r day.argus -w -" /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"ragraph: -w -: standard output is a terminal"* ]]
}

@test "the table equals rabins' output for the same bins and keys" {
	ragraph bytes proto -M 1m -r day.argus -u -w t.csv
	# rabins' groups, one line per bin and key, into the same table form
	rabins -r day.argus -u -M hard time 1m -m proto -L -1 -c , -s stime proto bytes > r.csv
	head -1 t.csv | tr , '\n' | tail -n +2 > series
	[ "$(wc -l < series)" -ge 3 ]
	n=0
	while IFS=, read -r t rest; do
		i=2
		for s in $(cat series); do
			v=$(cut -d, -f$i <<< "$t,$rest")
			want=$(awk -F, -v t="$t" -v s="$s" '$1 == t && $2 == s {print $3}' r.csv)
			[ "$v" = "${want:-0}" ] || { echo "bin $t $s: graph $v, rabins ${want:-0}"; false; }
			i=$((i + 1))
			n=$((n + 1))
		done
	done < <(tail -n +2 t.csv)
	[ "$n" -ge 60 ]
}

@test "two metrics: a column per metric and key, equal to rabins' source and destination bytes" {
	ragraph sbytes dbytes proto -M 1m -r day.argus -u -w two.csv
	rabins -r day.argus -u -M hard time 1m -m proto -L -1 -c , -s stime proto sbytes dbytes > r.csv
	run -0 head -1 two.csv
	[[ "$output" == "StartTime,sbytes "*",dbytes "* ]]
	# every cell against rabins' line of its bin and protocol
	awk -F, 'NR == FNR {s[$1 "," $2] = $3; d[$1 "," $2] = $4; next}
		FNR == 1 {for (i = 2; i <= NF; i++) {split($i, w, " "); m[i] = w[1]; k[i] = w[2]}; next}
		{for (i = 2; i <= NF; i++) {
			want = (m[i] == "sbytes" ? s[$1 "," k[i]] : d[$1 "," k[i]]) + 0
			if ($i != want) {print "bin " $1 " " m[i] " " k[i] ": " $i " vs " want; bad = 1}
			n++}}
		END {if (n < 20) {print "only " n " cells"; bad = 1}; exit bad}' r.csv two.csv
}

@test "top N bands and 'other' add up to the total in every bin" {
	ragraph bytes saddr -N 5 -M 1m -r day.argus -u -w top.csv
	run -0 head -1 top.csv
	[ "$(tr , '\n' <<< "$output" | wc -l)" -eq 7 ]
	[[ "$output" == *",other" ]]
	ragraph bytes -M 1m -r day.argus -u -w all.csv
	paste -d, <(tail -n +2 top.csv) <(tail -n +2 all.csv) |
		awk -F, '{s = 0; for (i = 2; i <= 7; i++) s += $i; if (s != $9) {print "bin " $1 ": " s " vs " $9; bad = 1}} END {exit bad}'
	want=$(ra -r day.argus -L -1 -s bytes | awk '{s += $1} END {print s}')
	got=$(tail -n +2 all.csv | awk -F, '{s += $2} END {print s}')
	assert_equal "$got" "$want"
}

@test "service names in the legend and the table, numbers with -n" {
	ragraph bytes dport -M 1m -r day.argus -w n.csv
	run -0 head -1 n.csv
	[[ "$output" == *",https"* ]]
	ragraph bytes dport -n -M 1m -r day.argus -w n.csv
	run -0 head -1 n.csv
	[[ "$output" == *",443"* ]]
}

@test "a day of 1 s bins with 10 series, -log, -upper, -split, one record" {
	ragen -n 86400 -s 5 -g 1000000 -w long.argus
	ragraph bytes dport -M 1s -r long.argus -w day.png -log
	png_ok day.png 900 450
	run -0 bash -c "head -1 <(ragraph bytes dport -M 1s -r long.argus -w - -upper 1e6 -split | file -)"
	[[ "$output" == *"PNG image data"* ]]
	ra -r day.argus -N 1 -w one.argus
	ragraph bytes dport -M 1s -r one.argus -w one.png
	png_ok one.png 900 450
	ragraph bytes -M 1d -r day.argus -w wide.png
	png_ok wide.png 900 450
}

@test "bad input: a clear message, no blank file" {
	run -2 --separate-stderr ragraph dur -M 1m -r day.argus
	[[ "$stderr" == "ragraph: 'dur' is not a counter"* ]]
	run -2 --separate-stderr ragraph bytes nosuch -M 1m -r day.argus
	assert_equal "$stderr" "ragraph: 'nosuch' is not a field (ragraph -h lists metrics and keys)"
	run -2 --separate-stderr ragraph dport -M 1m -r day.argus
	[[ "$stderr" == "ragraph: no metric to draw"* ]]
	run -2 --separate-stderr ragraph bytes -r day.argus
	[[ "$stderr" == "ragraph: -M: no bins given"* ]]
	run -2 --separate-stderr ragraph bytes -M count 10 -r day.argus
	[[ "$stderr" == "ragraph: -M: a graph takes time bins"* ]]
	run -2 --separate-stderr ragraph bytes -M 1m -width 5 -r day.argus
	[[ "$stderr" == *"-width '5'"* ]]
	# no records: a message and no file
	ra -r day.argus -w none.argus - host 192.0.2.1
	run -1 --separate-stderr ragraph bytes -M 1m -r none.argus -w none.png
	assert_equal "$stderr" "ragraph: no flow records in the input: nothing to draw"
	[ ! -e none.png ]
	: > empty.argus
	run -1 --separate-stderr ragraph bytes -M 1m -r empty.argus -w e.png
	[[ "$stderr" == *"empty.argus"* ]]
	[ ! -e e.png ]
	# a window asked for with -t and empty: drawn empty, said so
	run -0 --separate-stderr ragraph bytes -M 1m -r day.argus -t 03:00:00-04:00:00 -w w.png
	assert_equal "$stderr" "ragraph: no flow records in the time range: the graph is empty"
	png_ok w.png 900 450
	# a damaged input: the records before the damage are drawn, status 1
	head -c 30000 day.argus > cut.argus
	run -1 --separate-stderr ragraph bytes -M 1m -r cut.argus -w cut.png
	[[ "$stderr" == *"cut.argus"* ]]
	png_ok cut.png 900 450
}
