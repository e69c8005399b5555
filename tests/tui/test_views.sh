#!/usr/bin/env bash
# Every view through its `:` command at 80x24 and 200x50, with real content asserted.
. "$FD_SRCDIR/tests/tui/lib.sh"

check_views() {
	local w=$1 h=$2 s
	tui_start "$w" "$h"
	tui_wait 'Success targets' || { ok 1 "${w}x$h: first frame"; return; }
	while IFS='|' read -r cmd want; do
		tui_keys ":$cmd" Enter
		tui_wait "$want" 3
		s=$(tui_cap)
		like "$s" "$want" "${w}x$h :$cmd shows $want"
		is "$(printf '%s\n' "$s" | wc -l)" "$h" "${w}x$h :$cmd fills $h rows"
		like "$(printf '%s\n' "$s" | head -1)" "flightdeck overview!? metrics!? alarms!? asg!? lb!? route53!? xray!? runbooks" \
			"${w}x$h :$cmd keeps the tab bar"
	done <<'LIST'
overview|healthy hosts +3/4 \(1 unhealthy\) +2/2
metrics|Latency p99 \(ms\) ap-northeast-2 p99/1m 1h
alarms|ALARM +petclinic-green-5xx-high +ap-northeast-2 +12m
asg|petclinic-asg-blue +ap-northeast-2 +2 +2 +8 +2 +0
lb|HTTP:80 default +blue  90 .*  10 green
route53|eu-west-1 FAIL
xray|petclinic-app -> petclinic-db
runbooks|scale +Scale an Auto Scaling group
help|Ctrl-L +repaint the screen
LIST
}

check_views 80 24
check_views 200 50

# Prefix matching, ambiguity, unknown commands.
tui_start 80 24
tui_wait 'Success targets'
tui_keys ':al' Enter
tui_wait 'History: petclinic-green-5xx-high'
like "$(tui_cap)" 'History: petclinic-green-5xx-high' ':al is :alarms'
tui_keys ':r' Enter
tui_wait 'ambiguous'
like "$(tui_cap | tail -1)" 'ambiguous: r \(route53 runbooks region refresh redraw\)' ':r is ambiguous and lists the candidates'
tui_keys ':nosuch' Enter
tui_wait 'unknown command'
like "$(tui_cap | tail -1)" 'unknown command: nosuch' 'unknown commands are reported'

# `/` filters lists; Esc clears the filter.
tui_keys '/' 'cpu' Enter
tui_wait 'filter: cpu'
s=$(tui_cap)
like "$s" 'OK +petclinic-cpu-high +ap-northeast-1' 'the filter keeps matching alarms'
ok "$(printf '%s' "$s" | grep -c 'petclinic-green-5xx-high +ap-northeast')" 'the filter hides the others'
tui_keys Escape
tui_wait 'petclinic-green-5xx-high +ap-northeast-2'
like "$(tui_cap)" 'ALARM +petclinic-green-5xx-high' 'Esc clears the filter'

# Metrics: s, p and t switch statistic, period and range (the source re-queries).
tui_keys 2
tui_wait "statistic each chart's"
tui_keys s s p p p t
tui_wait 'Requests \(count/s\) ap-northeast-2 Sum/15m 3h'
like "$(tui_cap)" 'statistic Sum  period 15m  range 3h' 's s p p p t: the switches move'
like "$(tui_cap)" 'Latency p99 \(ms\) ap-northeast-2 Sum/15m 3h' 'and every chart was told, the built-in ones too'

# Keys select views; ? shows every key of the key table.
tui_keys 5 j
tui_wait 'petclinic-tg-green: HTTP 8080'
like "$(tui_cap)" 'unhealthy +Target.ResponseCodeMismatch' 'key 5 j: lb with the target health reasons of the selected group'
tui_keys 7 j Enter
tui_wait 'trace id'
like "$(tui_cap)" 'request +GET http://app.petclinic.example.com/vets' 'xray: Enter drills into the selected trace'
tui_keys Escape
tui_wait 'Traces \(Enter'
like "$(tui_cap)" 'Traces \(Enter: details\)' 'xray: Esc goes back to the list'
tui_keys '?'
tui_wait 'Commands'
s=$(tui_cap)
for k in 'q +quit' 'r +refresh' 'Ctrl-L' ': +command' '/ +filter' 'Tab +next view' 'Esc +clear' '1 :overview' '8 :runbooks' ':profile NAME' ':region NAME'; do
	like "$s" "$k" "help lists '$k'"
done
tui_keys '?'
tui_wait 'Trace'
like "$(tui_cap)" 'X-Ray service map' '? again goes back'

# :region switches the region shown (xray follows it); :profile shows in the status line.
tui_keys ':region ap-northeast-1' Enter
tui_wait 'X-Ray service map ap-northeast-1'
like "$(tui_cap)" 'X-Ray service map ap-northeast-1' ':region switches the region'
tui_keys ':profile oncall' Enter
tui_wait 'oncall ap-northeast-1'
like "$(tui_cap | tail -1)" 'oncall ap-northeast-1 +\? help' ':profile shows in the status line'
tui_keys ':profile bad/name' Enter
tui_wait 'not a profile name'
like "$(tui_cap | tail -1)" 'not a profile name: bad/name' ':profile rejects bad names'

# q quits with status 0 and the terminal is back in cooked mode.
tui_keys q
tui_wait 'icanon'
like "$(tui_cap)" 'exit=0' 'q exits 0'
like "$(tui_cap)" 'icanon echo|echo icanon' 'the terminal is restored after q'
# A failing API never blanks the screen: the panel keeps its data, shows its age and error.
tui_start 80 24 FLIGHTDECK_FAKE_ERROR=1
tui_wait 'Active alarms'
s=$(tui_cap)
like "$s" 'Active alarms \(1\) ap-northeast-2 ThrottlingException: Rate exceeded' 'the overview shows the panel error'
like "$s" 'age 1m' 'and the age of the data it still shows'
# issue 14: the status line's items are whole at 80 columns (the collection's age
# gives way; it cut '1 PANEL FAILING' to '1 PANEL' beside 'collected 10s ago')
like "$(printf '%s\n' "$s" | sed -n 2p)" ' 1 ALARM [^ ]+ 1 PANEL FAILING$' 'the status line keeps every item whole'
like "$s" 'ALARM petclinic-green-5xx-high' 'the old data stays on screen'
tui_keys 3
tui_wait 'History:'
like "$(tui_cap)" 'Alarms \(Enter: open\) ap-northeast-2 ThrottlingException: Rate exceede' 'the alarms view shows it too'
like "$(tui_cap)" 'ALARM +petclinic-green-5xx-high' 'with the alarms it had'
done_testing
