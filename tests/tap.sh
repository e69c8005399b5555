# tap.sh — TAP helpers for shell tests; source it. ok/is/like report one point each.
tap_n=0
tap_failed=0
# Each returns 0 when its point passed, 1 when it failed, so `ok ... || diagnostics` works.
ok() { # ok STATUS NAME: STATUS 0 passes
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then echo "ok $tap_n - $2"; return 0; fi
	echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); return 1
}
is() { # is GOT WANT NAME
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; printf '# got:  %s\n# want: %s\n' "$1" "$2" | sed '2,$s/^/# /'; return 1; fi
}
like() { # like GOT REGEX NAME (grep -E)
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else ok 1 "$3"; printf '# got: %s\n# want match: %s\n' "$1" "$2" | head -20; return 1; fi
}
done_testing() { echo "1..$tap_n"; [ "$tap_failed" = 0 ]; }
