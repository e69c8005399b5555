# tap.sh — TAP helpers for shell tests; source it. ok/is/like report one point each.
tap_n=0
tap_failed=0
ok() { # ok STATUS NAME: STATUS 0 passes
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); fi
}
is() { # is GOT WANT NAME
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; printf '# got:  %s\n# want: %s\n' "$1" "$2" | sed '2,$s/^/# /'; fi
}
like() { # like GOT REGEX NAME (grep -E)
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else ok 1 "$3"; printf '# got: %s\n# want match: %s\n' "$1" "$2" | head -20; fi
}
done_testing() { echo "1..$tap_n"; [ "$tap_failed" = 0 ]; }
