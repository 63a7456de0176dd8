#!/bin/sh
# bench-radump.sh - how fast radump decodes DNS and raservices labels flows.
#   sh bench/bench-radump.sh [LOOKUPS]      (default 100000, the file read 10 times over)
# The records come from bench/gen-dns-pcap.py (DNS lookups as a resolver
# sees them) through our argus -U 512; Debian's radump reads the same
# capture through Debian's argus, for comparison.
. "$(dirname "$0")/common.sh"
N=${1:-100000}

python3 "$top/bench/gen-dns-pcap.py" "$N" "$WORK/dns.pcap"
"$B/argus/argus" -U 512 -r "$WORK/dns.pcap" -w "$WORK/dns1.argus"
: > "$WORK/dns.argus"
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$WORK/dns1.argus" >> "$WORK/dns.argus"; done
M=$("$B/ra/ra" -r "$WORK/dns.argus" -n -L -1 -s seq | wc -l)
printf '%s\n' 'RA_TIME_FORMAT="%Y-%m-%d %T.%f"' 'RA_PRINT_LABELS=-1' "RA_FIELD_DELIMITER='^'" > "$WORK/dns.rarc"
echo "DNS records: $M, $(($(stat -c %s "$WORK/dns.argus") / M)) bytes each"
report "ours: radump -F dns.rarc -s seq ltime saddr daddr suser:1024 duser:1024" "$M" \
	"$(best_of 3 "$B/radump/radump" -F "$WORK/dns.rarc" -r "$WORK/dns.argus" -s seq ltime saddr daddr suser:1024 duser:1024)"
report "ours: ra, the same columns as bytes" "$M" \
	"$(best_of 3 "$B/ra/ra" -F "$WORK/dns.rarc" -r "$WORK/dns.argus" -s seq ltime saddr daddr suser:1024 duser:1024)"
if [ -x "$B/raservices/raservices" ]; then
	report "ours: raservices -w /dev/null (label every record)" "$M" \
		"$(best_of 3 "$B/raservices/raservices" -r "$WORK/dns.argus" -w /dev/null)"
	report "ours: raservices -s service (label and print)" "$M" \
		"$(best_of 3 "$B/raservices/raservices" -r "$WORK/dns.argus" -n -c , -L -1 -s service)"
fi
if command -v argus >/dev/null && [ -x /usr/bin/radump ]; then
	rm -f "$WORK/debian-dns.argus"
	argus -X -U 512 -r "$WORK/dns.pcap" -w "$WORK/debian-dns.argus"
	K=$(/usr/bin/ra -X -n -L -1 -r "$WORK/debian-dns.argus" -s seq - not man | wc -l)
	report "Debian radump -s seq ltime saddr daddr suser:1024 duser:1024" "$K" \
		"$(best_of 1 /usr/bin/radump -X -F "$WORK/dns.rarc" -r "$WORK/debian-dns.argus" -s seq ltime saddr daddr suser:1024 duser:1024 - port domain)"
fi
