#!/usr/bin/env bash
# test_sim_app.sh — GET /_sim/app/[REGION/]: one request to petclinic through the region's
# ALB — the listener's weights pick the target group; a region outage gives 503, a bad
# deploy 500; the requests never show up in /_sim/requests.
. "$FD_SRCDIR/tests/tap.sh"
. "$FD_SRCDIR/tests/sim/lib.sh"

start_sim
ok $? "the simulator starts"
EP=$SIM_URL

app() { # app PATH: "STATUS BODY" of one request
	local code
	code=$(curl -s -o "$SIM_TMP/app.body" -w '%{http_code}' "$EP/_sim/app/$1")
	printf '%s %s' "$code" "$(tr -d '\n' < "$SIM_TMP/app.body")"
}
arns() { # the listener, blue and green ARNs of the primary region
	curl -s "$EP/_sim/state" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
l = d["regions"][0]["load_balancers"][0]["listeners"][0]
print(l["arn"], *[f["target_group"] for f in l["rules"][0]["forward"]])'
}
shift_to() { # shift_to BLUE GREEN: set the primary listener's forward weights
	printf '{"ListenerArn":"%s","DefaultActions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"%s","Weight":%d},{"TargetGroupArn":"%s","Weight":%d}]}}]}' \
		"$LISTENER" "$BLUE" "$1" "$GREEN" "$2" |
		"$FD_BIN" call elbv2 modify-listener --yes --region ap-northeast-2 --endpoint-url "$EP" --input-json - > /dev/null
}
read -r LISTENER BLUE GREEN <<< "$(arns)"
like "$BLUE" "targetgroup/petclinic-tg-blue/" "the default rule forwards to blue first"

is "$(app ap-northeast-2/)" "200 petclinic ok region=ap-northeast-2 tg=petclinic-tg-blue" "100/0: blue answers"
is "$(app)" "200 petclinic ok region=ap-northeast-2 tg=petclinic-tg-blue" "/_sim/app/ goes where DNS answers: the primary"
is "$(app ap-northeast-1/)" "200 petclinic ok region=ap-northeast-1 tg=petclinic-tg-blue" "the standby region answers too"
is "$(app eu-west-9/)" '404 {"code":"NotFound","message":"no such region"}' "an unknown region is 404"

shift_to 50 50
ok $? "ModifyListener to 50/50"
seen=$(for _ in $(seq 40); do app ap-northeast-2/; echo; done | sed 's/.*tg=//' | sort -u | tr '\n' ' ')
is "$seen" "petclinic-tg-blue petclinic-tg-green " "50/50: both target groups answer over 40 requests"

shift_to 0 100
ok $? "ModifyListener to 0/100"
is "$(app ap-northeast-2/)" "200 petclinic ok region=ap-northeast-2 tg=petclinic-tg-green" "0/100: green answers"

n=$(curl -s "$EP/_sim/requests" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
# (each mutating `call` first asks sts GetCallerIdentity for its confirmation block)
r = [e for e in r if e["operation"] != "GetCallerIdentity"]
print(len(r), sum(1 for e in r if "/_sim/" in e["path"]), sum(1 for e in r if e["mutating"]))')
is "$n" "2 0 2" "/_sim/requests holds the two ModifyListener calls, no app requests"

"$FD_BIN" sim fault --endpoint "$EP" bad-deploy:petclinic-tg-green:1.0 > /dev/null
is "$(app ap-northeast-2/)" "500 petclinic error region=ap-northeast-2 tg=petclinic-tg-green" \
	"a bad deploy at 1.0 on green: 500"
"$FD_BIN" sim fault --endpoint "$EP" region-outage:ap-northeast-2 > /dev/null
is "$(app ap-northeast-2/)" "503 503 Service Temporarily Unavailable region=ap-northeast-2" "a region outage: 503"
is "$(app ap-northeast-1/)" "200 petclinic ok region=ap-northeast-1 tg=petclinic-tg-blue" "the other region still serves"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$EP/_sim/app/")
is "$code" 405 "POST is refused"
done_testing
