#!/usr/bin/env bash
# test_hostile_text.sh — AWS data and runbook text never reach a terminal or a log raw
# (issue 10). A simulator scenario names a target group with a DEL,
# C1 CSI (U+009B), an OSC 52 clipboard write in C1 (U+009D ... U+009C) and U+202E
# RIGHT-TO-LEFT OVERRIDE, and a database with ESC window-title and OSC 52 sequences (its
# name reaches X-Ray's JSON with the ESC); a runbook's description carries the same. Every CLI output (stdout and
# stderr of call, snapshot, whoami, runbook list/show/validate/plan/run) and every log
# (--debug, the audit log, the journal) is scanned: no C0 control but newline and tab,
# no DEL, no C1, no bidi override or isolate. ECMA-48 defines the controls; UAX #9 the
# bidi ones (https://www.unicode.org/reports/tr9/). The XML services carry no C0 at all
# (XML 1.0 forbids them), the JSON ones (X-Ray) do.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/runbooks/e2e_lib.sh"
out=$tmp/out
mkdir -p "$out"

HTG=$'green\x7f\xc2\x9b2K\xc2\x9d52;c;cm0gLXJmIH4=\xc2\x9c\xe2\x80\xaeneerg'
"$FD_BIN" sim --print-scenario > "$tmp/pet.yaml"
/usr/bin/python3 - "$tmp/pet.yaml" "$tmp/hostile.yaml" <<'EOF'
import sys
s = open(sys.argv[1]).read()
tg = r'"green\x7f\u009b2K\u009d52;c;cm0gLXJmIH4=\u009c\u202eneerg"'   # C1 only: XML keeps it
db = r'db\e]0;owned\a\e]52;c;cm0gLXJmIH4=\a\u202ebd'          # ESC: X-Ray's JSON keeps it
s = s.replace("petclinic-tg-green", tg).replace("id: petclinic-db", 'id: "%s"' % db)
open(sys.argv[2], "w").write(s.replace("source: ap-northeast-2/petclinic-db", 'source: "ap-northeast-2/%s"' % db))
EOF
sim_start --scenario "$tmp/hostile.yaml"
ok "$([ -n "$PORT" ]; echo $?)" "the simulator takes the hostile scenario"
export FD_RUNBOOK_PATH=$tmp/rb
mkdir -p "$tmp/rb"
printf 'description: "nice\\e]0;pwned\\a\\e]52;c;cm0gLXJmIH4=\\a\\u009b31m\\u202edrowssap\\nsecond line\\e[2J"\nsteps:\n  - {name: a, action: sleep, inputs: {duration: 1ms}}\n' \
	> "$tmp/rb/evil.yaml"
cat > "$tmp/rb/names.yaml" <<'YAML'
description: 'prints the X-Ray service names (JSON: ESC survives) and the target groups (XML)'
steps:
  - name: graph
    action: aws
    inputs: {service: xray, operation: GetServiceGraph, input: {StartTime: "{{ run.ago_5m }}", EndTime: "{{ run.now }}"}}
    outputs: {Names: '[.Services[].Name] | join(",")'}
    print: 'services: {{ graph.Names }}'
  - name: tgs
    action: aws
    inputs: {service: elbv2, operation: DescribeTargetGroups}
    outputs: {Names: '[.TargetGroups[].TargetGroupName] | join(",")'}
    print: 'target groups: {{ tgs.Names }}'
YAML
run() { # run NAME ARGS...: stdout and stderr of a flightdeck command into $out/NAME.{out,err}
	local name=$1
	shift
	"$FD_BIN" "$@" > "$out/$name.out" 2> "$out/$name.err" < /dev/null
}
now=$(date -u +%Y-%m-%dT%H:%M:%SZ); ago=$(date -u -d '-5 min' +%Y-%m-%dT%H:%M:%SZ)
run call-tgs call elbv2 DescribeTargetGroups --debug "$out/debug.log"
run call-xray call xray GetServiceGraph StartTime="$ago" EndTime="$now" --debug "$out/debug.log"
run call-error call rds DescribeDBInstances "DBInstanceIdentifier=$HTG" --debug "$out/debug.log"   # RDS echoes the name
run snapshot snapshot --debug "$out/debug.log"
run snapshot-json snapshot --json
run whoami whoami
run whoami-json whoami --json
run list runbook list
run show runbook show evil
run validate runbook validate "$tmp/rb/evil.yaml"
run plan runbook plan blue-green-cutover -p "green_tg=$HTG" -p metric_period=10 -p metric_delay=0s -p watch=20s \
	-p "probe_url=$ENDPOINT/_sim/app/ap-northeast-2/"
run names runbook run names --yes --debug "$out/debug.log"
cp "$HOME"/state/flightdeck/audit.jsonl "$out/audit.log" 2>/dev/null
cp "$HOME"/state/flightdeck/runs/*.json "$out/" 2>/dev/null

# The hostile text went through (as escapes): the checks below are not vacuous.
like "$(cat "$out/names.out")" 'services: .*db\\x1b\]0;owned\\x07\\x1b\]52;c;cm0gLXJmIH4=\\x07\\u202ebd' "the X-Ray names reach the run's output, escaped"
like "$(cat "$out/names.out")" 'target groups: .*green\\x7f\\u009b2K\\u009d52;c;cm0gLXJmIH4=\\u009c\\u202eneerg' "the target group names too"
like "$(cat "$out/plan.out")" 'change: +green\\x7f\\u009b2K\\u009d52;c;cm0gLXJmIH4=\\u009c\\u202eneerg=0 petclinic-tg-blue=100 -> ' "the confirmation's change line shows them escaped"
like "$(cat "$out/call-tgs.out")" '"TargetGroupName": "green\\u007f\\u009b2K\\u009d52;c;cm0gLXJmIH4=\\u009c\\u202eneerg"' "call prints them as JSON escapes"
like "$(cat "$out/call-error.err")" '^rds DescribeDBInstances: DBInstanceNotFound: DBInstance green\\x7f\\u009b2K\\u009d52;c;cm0gLXJmIH4=\\u009c\\u202eneerg not found.* \(request id ' \
	"call's error message shows them escaped"
like "$(cat "$out/show.out")" 'nice\\x1b\]0;pwned\\x07\\x1b\]52;c;cm0gLXJmIH4=\\x07\\u009b31m\\u202edrowssap' "runbook show escapes the description"
like "$(cat "$out/list.out")" 'evil +nice\\x1b' "runbook list too"
like "$(cat "$out/debug.log")" '\\u202[eE]' "the debug log holds them as JSON escapes"
# Nothing raw anywhere.
raw=$(/usr/bin/python3 - "$out"/* <<'EOF'
import re, sys
bad = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    m = bad.search(data)
    if m:
        print("%s: %r at %d" % (path.split("/")[-1], m.group(0), m.start()))
EOF
)
is "$raw" "" "no raw control, C1 or bidi byte in any output or log ($(ls "$out" | wc -l) files)"
is "$(ls "$out" | grep -c 'names.out\|plan.out\|snapshot.out\|call-error.err\|debug.log\|audit.log')" 6 \
	"the outputs and logs that carry AWS data were all captured"
done_testing
