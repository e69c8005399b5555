#!/bin/sh
# test_security_doc.sh — docs/security.md names, for each guarantee, the tests that hold
# it: every test it names exists and is run by `make check` (a TESTS line of a .mk
# fragment), so a renamed or dropped test cannot leave a guarantee without proof.
. "$FD_SRCDIR/tests/tap.sh"
doc="$FD_SRCDIR/docs/security.md"
tests_lines=$(cat "$FD_SRCDIR"/Makefile.am "$FD_SRCDIR"/*/*.mk | sed -n '/^TESTS *+*=/,/[^\\]$/p')
n=0
for t in $(grep -o '`tests/[^` ]*`' "$doc" | tr -d '`' | sort -u); do
	n=$((n + 1))
	case $t in
	*.c) name=${t%.c} ;;
	*) name=$t ;;
	esac
	ok "$([ -e "$FD_SRCDIR/$t" ]; echo $?)" "$t exists"
	case $t in tests/fuzz/corpus/*) continue ;; esac   # an input, run by ./dev.sh fuzz
	case " $(printf '%s' "$tests_lines" | tr '\n\t\\' '   ') " in
	*" $name "*) ok 0 "$t runs in make check" ;;
	*) ok 1 "$t runs in make check" ;;
	esac
done
ok "$([ "$n" -ge 20 ]; echo $?)" "docs/security.md names $n tests"
done_testing
