/* test_alarms.c — alarm evaluation as CloudWatch documents it: the missing-data table,
 * evaluation over the datapoints published by then, transitions under bad-deploy and
 * outage, history.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html */
#include "sim/alarms.h"

#include "tests/tap.h"
#include "tests/sim/miniworld.h"

#include <math.h>
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

/* One row of the documented tables: the five datapoints oldest first ('0' not
 * breaching, 'X' breaching, '-' missing) and the state for MISSING, IGNORE,
 * BREACHING, NOT BREACHING ("keep" for "Retain current state"). */
struct row {
	const char *dp;
	const char *want[4];
};

/* Check alarms_decide() against one table of "How alarm state is evaluated when data
 * is missing" (EvaluationPeriods 3, evaluation range 5). */
static void table(const char *title, int m, const struct row *rows, size_t n)
{
	static const char *const treat[4] = { "missing", "ignore", "breaching", "notBreaching" };

	for (size_t r = 0; r < n; r++) {
		int dp[5];
		for (int k = 0; k < 5; k++) {   /* newest first */
			char c = rows[r].dp[2 * (4 - k)];
			dp[k] = c == 'X' ? ALARMS_DP_BREACHING : c == '0' ? ALARMS_DP_OK : ALARMS_DP_MISSING;
		}
		for (int t = 0; t < 4; t++) {
			const char *got = alarms_decide(dp, 5, 3, m, treat[t]);
			is_str(got ? got : "keep", rows[r].want[t], "%s: %s treated as %s", title, rows[r].dp, treat[t]);
		}
	}
}

int main(void)
{
	static const struct row three_of_three[] = {
		{ "0 - X - X", { "OK", "OK", "OK", "OK" } },
		{ "0 - - - -", { "OK", "OK", "OK", "OK" } },
		{ "- - - - -", { "INSUFFICIENT_DATA", "keep", "ALARM", "OK" } },
		{ "0 X X - X", { "ALARM", "ALARM", "ALARM", "ALARM" } },
		{ "- - X - -", { "ALARM", "keep", "ALARM", "OK" } },
	};
	static const struct row two_of_three[] = {
		{ "0 - X - X", { "ALARM", "ALARM", "ALARM", "ALARM" } },
		{ "0 0 X 0 X", { "ALARM", "ALARM", "ALARM", "ALARM" } },
		{ "0 - X - -", { "OK", "OK", "ALARM", "OK" } },
		{ "- - - - 0", { "OK", "OK", "ALARM", "OK" } },
		{ "- - - X -", { "ALARM", "keep", "ALARM", "OK" } },
	};
	struct sim_world *w = miniworld(T0);
	struct traffic *t = traffic_new(42);
	struct alarms *a;
	struct alarm *t5, *e5, *unh, *lag, *sess, *p99;
	const struct alarm_history *h;

	table("3 of 3", 3, three_of_three, sizeof(three_of_three) / sizeof(three_of_three[0]));
	table("2 of 3 (M out of N)", 2, two_of_three, sizeof(two_of_three) / sizeof(two_of_three[0]));

	w->time_scale = 1;   /* AWS's timing: one-minute data published 60-120 s after the minute */
	traffic_observe(t, w, T0 - 3600, share_seoul);
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
	ok(strncmp(t5->reason, "Threshold Crossed: 3 out of the last 3 datapoints [0.0 (24/11/25 15:5",
		   strlen("Threshold Crossed: 3 out of the last 3 datapoints [0.0 (24/11/25 15:5")) == 0 &&
	   strstr(t5->reason, "] were not greater than the threshold (10.0) (minimum 1 datapoint for ALARM -> OK transition)."),
	   "OK reason as CloudWatch words it: %s", t5->reason);

	/* bad deploy: 50% errors on blue from T0+100, in the minute [T0+60, T0+120): its
	 * data is published 60-120 s after the minute ends, at T0+180..T0+240 */
	mw_tgs[0][0].error_rate = 0.5;
	traffic_observe(t, w, T0 + 100, share_seoul);
	alarms_update(a, t, T0 + 170);
	is_str(t5->state, "OK", "the bad datapoints are not published yet: still OK");
	alarms_update(a, t, T0 + 240);
	is_str(t5->state, "ALARM", "target-5xx goes to ALARM once the bad minute is published (2 of 3)");
	ok(t5->state_updated_s > T0 + 170 && t5->state_updated_s <= T0 + 240 && fmod(t5->state_updated_s, 10) == 0,
	   "StateUpdatedTimestamp is the evaluation time (every 10 s for a 10 s period): +%.0f s",
	   t5->state_updated_s - T0);
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

	/* fixed at T0+300 (minute [T0+300, T0+360), published by T0+480) */
	mw_tgs[0][0].error_rate = 0.001;
	traffic_observe(t, w, T0 + 300, share_seoul);
	alarms_update(a, t, T0 + 410);
	is_str(t5->state, "ALARM", "still ALARM: the good minute is not published yet");
	alarms_update(a, t, T0 + 490);
	is_str(t5->state, "OK", "OK again once it is");
	is_int(transitions(a, t5->name), 3, "three state transitions recorded (creation -> OK -> ALARM -> OK)");

	/* outage from T0+600: no healthy target: ELB 5xx and unhealthy hosts alarm once the
	 * minute [T0+600, T0+660) is published (by T0+780) */
	mw_regions[0].up = false;
	for (int i = 0; i < 2; i++)
		mw_targets[0][0][i].state = SIM_TH_UNHEALTHY;
	traffic_observe(t, w, T0 + 600, share_seoul);
	alarms_update(a, t, T0 + 710);
	is_str(e5->state, "OK", "ELB 5xx: the outage's first minute is not published yet");
	alarms_update(a, t, T0 + 790);
	is_str(e5->state, "ALARM", "ELB 5xx alarm in an outage");
	is_str(unh->state, "ALARM", "unhealthy hosts alarm (3 of 3)");
	is_str(p99->state, "OK", "p99 keeps its state until its period ends");
	alarms_update(a, t, T0 + 1200);
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
