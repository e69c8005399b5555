#!/bin/sh
# flightdeck sim on the command line: options, the one line, --fault, --seed,
# scenario errors, sim fault|clear|state|requests, SIGTERM.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"

out=$("$FD_BIN" sim --listen 127.0.0.1:0 --seed x 2>&1); st=$?
is "$st" 2 "bad --seed: exit 2"
is "$out" "flightdeck sim: --seed 'x' is not a number" "bad --seed: message"
out=$("$FD_BIN" sim --listen nowhere 2>&1); st=$?
is "$st" 2 "bad --listen: exit 2"
is "$out" "flightdeck sim: --listen 'nowhere': want ADDR:PORT" "bad --listen: message"
out=$("$FD_BIN" sim --listen 127.0.0.1:0 --fault meltdown 2>&1); st=$?
is "$st" 2 "bad --fault: exit 2"
like "$out" "^flightdeck sim: fault 'meltdown': unknown kind 'meltdown'" "bad --fault: message"
printf 'scenario: mine\nregions:\n  - name: r1\n    target_groups:\n      - {name: tg, prot: 80}\n' >"$SIM_TMP/bad.yaml"
out=$("$FD_BIN" sim --listen 127.0.0.1:0 --scenario "$SIM_TMP/bad.yaml" 2>&1); st=$?
is "$st" 2 "bad scenario: exit 2"
is "$out" "flightdeck sim: $SIM_TMP/bad.yaml:5:20: unknown key 'prot'" "bad scenario: FILE:LINE:COLUMN"
out=$("$FD_BIN" sim --bogus 2>&1); st=$?
is "$st" 2 "unknown option: exit 2"

start_sim --seed 42 --fault region-outage:ap-northeast-1 --fault throttle:DescribePolicies:1
ok $? "started with two --fault"
a=$(curl -s "$SIM_URL/_sim/state")
is "$(echo "$a" | jq -r .faults)" "region-outage:ap-northeast-1 throttle:DescribePolicies:1" "faults from the command line"
is "$(echo "$a" | jq -c '[.regions[].up]')" '[true,false]' "Tokyo down"
first_pid=$SIM_PID
out=$("$FD_BIN" sim clear --endpoint "$SIM_URL"); st=$?
is "$st" 0 "sim clear: exit 0"
is "$(curl -s "$SIM_URL/_sim/state" | jq -c '[.regions[].up]')" '[true,true]' "sim clear: Tokyo up"
out=$("$FD_BIN" sim fault --endpoint "$SIM_URL" bad-deploy:petclinic-tg-blue:0.5); st=$?
is "$st" 0 "sim fault: exit 0"
is "$out" '{"faults":"bad-deploy:petclinic-tg-blue:0.5"}' "sim fault: the active faults"
out=$("$FD_BIN" sim fault --endpoint "$SIM_URL" latency:-1 2>&1); st=$?
is "$st" 1 "sim fault with a bad SPEC: exit 1"
like "$out" "InvalidFault" "sim fault with a bad SPEC: InvalidFault"
out=$("$FD_BIN" sim fault 2>&1); st=$?
is "$st" 2 "sim fault without --endpoint or AWS_ENDPOINT_URL: exit 2"
like "$out" 'default: \$AWS_ENDPOINT_URL' "the usage names AWS_ENDPOINT_URL"
out=$(AWS_ENDPOINT_URL="$SIM_URL" "$FD_BIN" sim clear); st=$?
is "$st:$out" '0:{"faults":""}' "sim clear without --endpoint uses AWS_ENDPOINT_URL"
out=$(AWS_ENDPOINT_URL="$SIM_URL" "$FD_BIN" sim fault bad-deploy:petclinic-tg-blue:0.5); st=$?
is "$st:$out" '0:{"faults":"bad-deploy:petclinic-tg-blue:0.5"}' "sim fault without --endpoint uses AWS_ENDPOINT_URL"
is "$(AWS_ENDPOINT_URL="$SIM_URL" "$FD_BIN" sim state | jq -r .faults)" "bad-deploy:petclinic-tg-blue:0.5" \
	"sim state without --endpoint uses AWS_ENDPOINT_URL"
out=$(AWS_ENDPOINT_URL=http://127.0.0.1:1 "$FD_BIN" sim state --endpoint "$SIM_URL" | jq -r .scenario); st=$?
is "$st:$out" "0:petclinic" "--endpoint wins over AWS_ENDPOINT_URL"
out=$("$FD_BIN" sim --time-scale 0 2>&1); st=$?
is "$st" 2 "--time-scale 0: exit 2"
like "$out" "--time-scale '0' must be a number above 0" "--time-scale 0: message"
out=$("$FD_BIN" sim requests --endpoint "$SIM_URL"); st=$?
is "$st:$out" "0:[]" "sim requests: none yet"
is "$("$FD_BIN" sim state --endpoint "$SIM_URL" | jq -r .seed)" "42" "sim state: the seed"

# --seed makes the world repeatable
ids1=$(curl -s "$SIM_URL/_sim/state" | jq -c '[.regions[].auto_scaling_groups[].instances[].id]')
start_sim --seed 42
ids2=$(curl -s "$SIM_URL/_sim/state" | jq -c '[.regions[].auto_scaling_groups[].instances[].id]')
start_sim --seed 43
ids3=$(curl -s "$SIM_URL/_sim/state" | jq -c '[.regions[].auto_scaling_groups[].instances[].id]')
is "$ids2" "$ids1" "same seed, same instances"
ok "$([ "$ids3" != "$ids1" ]; echo $?)" "another seed, other instances"

# the built-in scenario, printed, is a scenario file that gives the same world
"$FD_BIN" sim --print-scenario >"$SIM_TMP/petclinic.yaml"
is "$(head -n 1 "$SIM_TMP/petclinic.yaml")" "scenario: petclinic" "--print-scenario prints the YAML"
start_sim --seed 42 --scenario "$SIM_TMP/petclinic.yaml"
ids4=$(curl -s "$SIM_URL/_sim/state" | jq -c '[.regions[].auto_scaling_groups[].instances[].id]')
is "$ids4" "$ids1" "the printed scenario loads into the same world"
out=$("$FD_BIN" sim --print-scenario --scenario mine.yaml 2>&1); st=$?
is "$st" 2 "--print-scenario of a file: exit 2"

kill -TERM "$first_pid"; wait "$first_pid"; st=$?
is "$st" 0 "SIGTERM: exit 0"
done_testing
