#!/usr/bin/env bats
# man.bats - every manual page is clean mdoc.
load test_helper

@test "mandoc -Tlint finds nothing in any page" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	for page in "$top_srcdir"/man/*.[1-8]; do
		run mandoc -Tlint -W warning "$page"
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$page: $output"; false; }
	done
}

@test "every field of the table is documented in ra(1)" {
	for f in $(ra -h | sed -n '/^Fields for -s:/,$p' | tail -n +2); do
		grep -q "^\.It Cm $f\$" "$top_srcdir/man/ra.1" || { echo "ra.1 lacks $f"; false; }
	done
}
