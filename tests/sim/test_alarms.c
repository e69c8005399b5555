/* test_alarms.c — alarm evaluation: transitions under bad-deploy and outage, history. */
#include "sim/alarms.h"

#include "tests/tap.h"
#include "tests/sim/miniworld.h"

#include <string.h>

#define T0 1764000000.0

static const double share_seoul[2] = { 1, 0 };

/* The alarm called name. */
static struct alarm *find(struct alarms *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->items[i].name, name) == 0)
			return &a->items[i];
	return NULL;
}

/* How many StateUpdate items the history holds for alarm name. */
static int transitions(struct alarms *a, const char *name)
{
	int n = 0;

	for (size_t i = 0; i < a->n_history; i++)
		if (strcmp(a->items[a->history[i].alarm].name, name) == 0 &&
		    strcmp(a->history[i].type, "StateUpdate") == 0)
			n++;
	return n;
}

int main(void)
{
	struct sim_world *w = miniworld(T0);
	struct traffic *t = traffic_new(42);
	struct alarms *a;
	struct alarm *t5, *e5, *unh, *lag, *sess, *p99;
	const struct alarm_history *h;

	traffic_observe(t, w, T0, share_seoul);
	a = alarms_new(w, t, T0);
	is_int(a->n, 12, "12 petclinic alarms (3 + 1 per target group per region, replica lag, session loss)");
	t5 = find(a, "petclinic-ap-northeast-2-target-5xx");
	e5 = find(a, "petclinic-ap-northeast-2-elb-5xx");
	unh = find(a, "petclinic-ap-northeast-2-petclinic-tg-blue-unhealthy");
	lag = find(a, "petclinic-ap-northeast-1-petclinic-db-replica-replica-lag");
	sess = find(a, "petclinic-session-loss");
	p99 = find(a, "petclinic-ap-northeast-2-p99-latency");
	ok(t5 && e5 && unh && lag && sess && p99, "alarms found by name");
	if (!(t5 && e5 && unh && lag && sess && p99))
		return done_testing();
	is_str(t5->arn, "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:petclinic-ap-northeast-2-target-5xx", "ARN");
	ok(t5->resolved && unh->resolved && lag->resolved && sess->resolved, "alarm metrics resolve");
	is_str(t5->state, "OK", "target-5xx starts OK");
	is_str(unh->state, "OK", "unhealthy-hosts starts OK");
	is_str(p99->state, "OK", "p99 starts OK");
	is_str(lag->state, "OK", "replica lag starts OK");
	is_str(t5->reason, "Threshold Crossed: 3 out of the last 3 datapoints [0.0 (24/11/25 15:59:50), 0.0 (24/11/25 15:59:40), 0.0 (24/11/25 15:59:30)] were not greater than the threshold (10.0) (minimum 1 datapoint for ALARM -> OK transition).",
	       "OK reason as CloudWatch words it");

	/* bad deploy: 50% errors on blue from T0+100 */
	mw_tgs[0][0].error_rate = 0.5;
	traffic_observe(t, w, T0 + 100, share_seoul);
	alarms_update(a, t, T0 + 110);
	is_str(t5->state, "OK", "one bad datapoint is not enough (2 of 3)");
	alarms_update(a, t, T0 + 120);
	is_str(t5->state, "ALARM", "target-5xx goes to ALARM after 2 bad datapoints");
	is_int((long)t5->state_updated_s, (long)(T0 + 120), "StateUpdatedTimestamp is the evaluation time");
	ok(strncmp(t5->reason, "Threshold Crossed: 2 out of the last 3 datapoints [", 51) == 0 &&
	   strstr(t5->reason, "were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition)."),
	   "ALARM reason: %s", t5->reason);
	ok(strstr(t5->reason_data, "\"statistic\":\"Sum\"") && strstr(t5->reason_data, "\"period\":10") &&
	   strstr(t5->reason_data, "\"threshold\":10.0"), "reason data JSON: %s", t5->reason_data);
	is_str(e5->state, "OK", "ELB 5xx stays OK (targets answer)");
	h = &a->history[a->n_history - 1];
	is_str(h->type, "StateUpdate", "history item type");
	is_str(h->summary, "Alarm updated from OK to ALARM", "history summary");
	ok(strstr(h->data, "\"oldState\":{\"stateValue\":\"OK\"") && strstr(h->data, "\"newState\":{\"stateValue\":\"ALARM\""),
	   "history data JSON");

	/* fixed: back to OK once a datapoint is good again (DatapointsToAlarm 2 of 3) */
	mw_tgs[0][0].error_rate = 0.001;
	traffic_observe(t, w, T0 + 200, share_seoul);
	alarms_update(a, t, T0 + 210);
	is_str(t5->state, "ALARM", "still ALARM: 2 of the last 3 were bad");
	alarms_update(a, t, T0 + 220);
	is_str(t5->state, "OK", "OK again");
	is_int(transitions(a, t5->name), 3, "three state transitions recorded (creation -> OK -> ALARM -> OK)");

	/* outage: no healthy target: ELB 5xx and unhealthy hosts alarm */
	mw_regions[0].up = false;
	for (int i = 0; i < 2; i++)
		mw_targets[0][0][i].state = SIM_TH_UNHEALTHY;
	traffic_observe(t, w, T0 + 300, share_seoul);
	alarms_update(a, t, T0 + 330);
	is_str(e5->state, "ALARM", "ELB 5xx alarm in an outage");
	is_str(unh->state, "ALARM", "unhealthy hosts alarm (3 of 3)");
	is_str(p99->state, "OK", "p99 keeps its state until its period ends");
	alarms_update(a, t, T0 + 600);
	is_str(p99->state, "INSUFFICIENT_DATA", "p99 has no data when nothing answers");
	is_str(p99->reason, "Insufficient Data: 3 datapoints were unknown.", "insufficient data reason");
	is_str(sess->state, "OK", "no session lost without a DNS change");
	is_str(lag->state, "ALARM", "the replica falls behind its unreachable source: lag alarm");

	/* a long gap is caught up without evaluating forever */
	alarms_update(a, t, T0 + 86400 * 30);
	ok(t5->evaluated_s == T0 + 86400 * 30, "evaluated up to now after a long gap");

	alarms_destroy(a);
	traffic_destroy(t);
	return done_testing();
}
