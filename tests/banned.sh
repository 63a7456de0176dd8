#!/bin/sh
# banned.sh - no banned function in the sources (style.md): sprintf, strcpy,
# strcat, atoi, gets, and no vsprintf or strncpy either.  Prints TAP.
cd "$top_srcdir" || exit 1
echo "1..1"
hits=$(grep -nE '(^|[^_a-zA-Z0-9])(sprintf|vsprintf|strcpy|strncpy|strcat|strncat|atoi|atol|gets)[[:space:]]*\(' \
	$(find . -path './build*' -prune -o \( -name '*.c' -o -name '*.h' \) -print 2>/dev/null) 2>/dev/null |
	grep -vE '(snprintf|vsnprintf)[[:space:]]*\(' | grep -v 'banned-ok')
if [ -n "$hits" ]; then
	echo "not ok 1 - banned functions used"
	echo "$hits" | sed 's/^/# /'
else
	echo "ok 1 - no banned functions"
fi
