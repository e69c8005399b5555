#!/usr/bin/env bash
# The real thing: `flightdeck --demo` (simulator -> signed client -> collectors ->
# model -> views). Every view through its `:` command at 80x24 and 200x50, with
# the simulated petclinic's content asserted; then `r`, :region and a failing API.
. "$FD_SRCDIR/tests/tui/lib.sh"

check() { # check W H
	local w=$1 h=$2 s
	tui_start "$w" "$h" FLIGHTDECK_FAKE_MODEL=0 -- --demo
	if ! tui_wait 'requests/s +[0-9.]+ +data [0-9]+[sm] +[0-9.]+' 20; then
		ok 1 "${w}x$h: the demo's first collection reaches the overview"
		tui_cap | sed 's/^/# /'
		return
	fi
	# target names: 20 columns at 80, the whole name when there is room
	if [ "$w" -gt 80 ]; then
		like "$(tui_cap)" ' read latency improvement +([0-9.]+ %|-) ' "${w}x$h: the whole target name is shown"
	else
		like "$(tui_cap)" ' read la… improvement +([0-9.]+ %|-) ' "${w}x$h: the target name is shortened in the middle to 20 columns"
	fi
	while IFS='|' read -r cmd want; do
		tui_keys ":$cmd" Enter
		tui_wait "$want" 10
		s=$(tui_cap)
		like "$s" "$want" "${w}x$h demo :$cmd shows $want"
		is "$(printf '%s\n' "$s" | wc -l)" "$h" "${w}x$h demo :$cmd fills $h rows"
	done <<'LIST'
overview|requests/s +[0-9.]+ +data [0-9]+[sm] +[0-9.]+
metrics|requests/s \(req/s\) ap-northeast-2
alarms|OK +petclinic-ap-northeast-2-elb-5xx
asg|petclinic-asg-was-blue +ap-northeast-2 +[0-9]+ +[0-9]+ +[0-9]+
lb|HTTP:80 default +blue 100 .* +0 green
route53|PRIMARY +ap-northeast-2
route53|0c0000[^ ]*d00 +healthy +[1-9][0-9]*/[1-9][0-9]* +routing control seoul On
xray|client -> petclinic-alb
runbooks|scale +Scale an Auto Scaling group
help|Ctrl-L +repaint the screen
LIST
	tui_keys q
	tui_wait 'icanon' 10
	like "$(tui_cap)" 'exit=0' "${w}x$h demo: q exits 0"
}

check 80 24
check 200 50

# r refreshes; :region switches the collection to the other region as primary.
tui_start 80 24 FLIGHTDECK_FAKE_MODEL=0 -- --demo
tui_wait 'requests/s +[0-9.]+ +data [0-9]+[sm] +[0-9.]+' 20
# :metrics t switches the range, and the collector fetches the charts again for it.
tui_keys ':metrics' Enter
tui_wait 'ap-northeast-2 Sum/1m 1h' 20
tui_keys t
tui_wait 'ap-northeast-2 Sum/1m 3h' 20
like "$(tui_cap)" 'range 3h' ':metrics t: the range switch is shown'
like "$(tui_cap)" 'requests/s \(req/s\) ap-northeast-2 Sum/1m 3h' 'and the charts are fetched again for 3 h'
tui_keys ':overview' Enter
tui_keys ':region ap-northeast-1' Enter
tui_wait 'ap-northeast-1 primary' 20
like "$(tui_cap)" 'ap-northeast-1 primary' ':region makes ap-northeast-1 the primary'
like "$(tui_cap | tail -1)" 'demo ap-northeast-1 +\? help' 'and the status line says so'
# issue 14: a region AWS does not have (a typo of a real one) is refused, not shown
# as an empty region with "0 alarms" and nothing switched
tui_keys ':region ap-northeast-9' Enter
tui_wait 'ap-northeast-9' 10
like "$(tui_cap | tail -1)" "region 'ap-northeast-9' \(from :region\) is not an AWS region: nothing was sent" \
	':region ap-northeast-9 is refused, saying why'
sleep 1
like "$(tui_cap)" 'ap-northeast-1 primary' 'and the primary is still ap-northeast-1'
ok "$(tui_cap | grep -Ec 'ap-northeast-9 primary|UNREADABLE')" 'no empty ap-northeast-9 column'
tui_keys ':region x@127.0.0.1:9/' Enter
tui_wait "'x@127" 10
like "$(tui_cap | tail -1)" "region 'x@127.0.0.1:9/' \(from :region\) is not an AWS region name" \
	':region refuses what is not a region name (it would become a host)'
tui_keys q
tui_wait 'icanon' 10
# the same typo on the command line: refused before the screen changes, exit 2
out=$(env -i HOME="$TUI_TMP" PATH=/usr/bin:/bin TERM=screen "$FD_BIN" --demo --region ap-northeast-9 2>&1 </dev/null); rc=$?
is "$rc" 2 "--demo --region ap-northeast-9 exits 2"
like "$out" "^flightdeck: (InvalidRegion: )?region 'ap-northeast-9' \(from --region\) is not an AWS region: nothing was sent$" "saying why"
done_testing
