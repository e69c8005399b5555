/* test_collector.c — panels, schedules, throttling back-off and stale data, against an
 * in-process simulator with a fake collector clock. */
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/creds.h"
#include "model/collector.h"
#include "model/config.h"
#include "model/model.h"
#include "sim/sim.h"
#include "tests/tap.h"

static time_t fake_now = 1795497600;

static time_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

/* Drive the collector until no call is in flight. */
static void drain(struct collector *c)
{
	struct pollfd fds[64];
	int n, guard = 0;

	while (collector_in_flight(c) > 0 && guard++ < 20000) {
		n = collector_poll_fds(c, fds, 64);
		poll(fds, (nfds_t)n, 20);
		collector_perform(c, fds, n);
	}
}

int main(void)
{
	struct sim_options so = { .listen = "127.0.0.1:0" };
	struct client_options co = { .region = "ap-northeast-2", .max_attempts = 1 };
	struct creds_provider *cp;
	struct fd_config cfg;
	struct model m;
	struct fd_error err;
	struct client *cl;
	struct collector *c;
	struct sim *s;
	char url[64];
	struct model_status *lb;
	unsigned long changed;
	time_t first;

	setenv("HOME", "/nonexistent", 1);
	unsetenv("AWS_PROFILE");
	s = sim_new(&so, &err);
	if (!s || sim_start(s, &err)) {
		printf("# sim: %s\n", err.message);
		return 1;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", sim_port(s));
	cp = creds_static_new(SIM_ACCESS_KEY, SIM_SECRET_KEY, NULL);
	co.endpoint_url = url;
	co.creds = cp;
	cl = client_new(&co, &err);
	ok(cl != NULL, "client");
	config_defaults(&cfg, NULL);
	model_init(&m, cfg.primary, cfg.dr);
	c = collector_new(cl, &cfg, &m, &err);
	ok(c != NULL, "collector");
	collector_set_clock(c, fake_clock, NULL);
	collector_set_measure_file(c, "/nonexistent/measurements.jsonl");
	is_int(m.n_targets, 5, "targets built from the config");
	ok(collector_new(NULL, &cfg, &m, &err) == NULL, "no client: refused");
	is_str(err.code, "InvalidParameter", "with a code");

	/* first round: everything but the metrics (they wait for their resources) */
	is_int(collector_timeout_ms(c, fake_now), 0, "everything is due at start");
	is_int(collector_due(c, fake_now), 2 * 6 + 3, "6 panels x 2 regions (sessions among them) + route53 + targets + cdn queued");
	ok(collector_in_flight(c) > 0, "calls in flight");
	ok(m.regions[0].status[MODEL_PANEL_LB].in_flight, "lb panel marked in flight");
	is_int(collector_due(c, fake_now), 0, "nothing queued twice");
	drain(c);
	lb = &m.regions[0].status[MODEL_PANEL_LB];
	ok(!lb->in_flight, "lb done");
	is_int(lb->fetched_at, fake_now, "fetched_at on the collector's clock");
	is_str(lb->error.code, "", "no error");
	is_int(lb->interval_s, 10, "interval 10 s");
	is_int(lb->next_due, fake_now + 10, "next due in 10 s");
	is_int(m.regions[0].status[MODEL_PANEL_RDS].interval_s, 30, "rds every 30 s");
	is_int(m.regions[0].n_lbs, 1, "one ALB in Seoul");
	is_int(m.regions[1].n_lbs, 1, "one ALB in Tokyo");
	is_int(m.regions[0].n_tgs, 2, "blue and green");
	is_int(m.regions[0].summary.healthy_hosts, 4, "4 healthy hosts");
	ok(m.regions[0].lbs[0].n_listeners > 0 && m.regions[0].lbs[0].listeners[0].default_actions[0].forwards[0].tg_name,
	   "listener forwards named");
	ok(m.route53.dns.region && strcmp(m.route53.dns.region, "ap-northeast-2") == 0, "DNS answers with Seoul");
	{
		struct model_health_check *rc = NULL;
		size_t i;
		for (i = 0; i < m.route53.n_checks && !rc; i++)
			if (m.route53.checks[i].type && strcmp(m.route53.checks[i].type, "RECOVERY_CONTROL") == 0)
				rc = &m.route53.checks[i];
		ok(rc != NULL, "a RECOVERY_CONTROL health check is listed");
		ok(rc && rc->n_checkers > 0, "its status is collected (%zu checker reports)", rc ? rc->n_checkers : 0);
		ok(rc && rc->healthy && rc->healthy_checkers == (int)rc->n_checkers, "healthy: its routing control is On");
		ok(rc && rc->checkers && rc->checkers[0].status && strstr(rc->checkers[0].status, " is On"),
		   "the report names the routing control state");
		is_str(rc ? rc->target : NULL, "seoul", "the target is the routing control's name");
	}
	ok(isnan(m.regions[0].lbs[0].requests_per_s), "no metrics yet");
	ok(lb->changed > 0 && m.generation > 0, "changed counters bumped");

	/* the metrics are due now that their resources are known */
	is_int(collector_timeout_ms(c, fake_now), 0, "metrics due now");
	is_int(collector_due(c, fake_now), 4, "metrics and deploys (they wait for the groups) of both regions queued");
	drain(c);
	ok(m.regions[0].lbs[0].requests_per_s > 0, "requests/s from GetMetricData");
	ok(m.regions[0].n_charts >= 3, "built-in charts");
	ok(m.regions[0].charts[0].n_lines == 1 && m.regions[0].charts[0].lines[0].series.n > 10, "a requests/s series");
	is_str(m.targets[2].name, "read latency improvement", "replica target");
	is_str(model_target_status_name(m.targets[2].status), "met", "replica target met from the sim's metrics");
	is_int(collector_timeout_ms(c, fake_now), 10000, "nothing due for 10 s");
	is_int(collector_due(c, fake_now + 5), 0, "nothing due after 5 s");
	/* X-Ray's trace list is read only while the X-Ray view (its only reader) is open */
	ok(m.regions[0].xray.n_nodes > 0, "the X-Ray service graph is read (%zu nodes)", m.regions[0].xray.n_nodes);
	is_int(m.regions[0].xray.n_traces, 0, "but no trace list while nobody shows it");
	collector_want_traces(c, true);
	is_int(m.regions[0].status[MODEL_PANEL_XRAY].next_due, 0, "the X-Ray view opened: X-Ray due at once");
	is_int(collector_due(c, fake_now), 2, "the X-Ray panels of both regions, nothing else");
	drain(c);
	ok(m.regions[0].xray.n_traces > 0, "and its traces are read (%zu)", m.regions[0].xray.n_traces);
	collector_want_traces(c, false);
	/* CloudWatch's one-minute data: the window (ending on the minute) had its newest
	 * minute, so asking again before the next minute is published returns the same */
	{
		struct model_status *ms = &m.regions[0].status[MODEL_PANEL_METRICS];
		ok(ms->source_bound, "metrics caught up with CloudWatch's newest minute: due with the next one");
		is_int(ms->next_due, fake_now / 60 * 60 + 60 + 10, "due when the next minute can be published (+10 s)");
		is_int(lb->next_due, fake_now + 10, "the other panels keep their interval");
	}
	/* the ElastiCache figures too: the sessions panel refreshes its groups, not their figures */
	{
		struct model_sessions *ss = &m.regions[0].sessions;
		time_t at = ss->metrics_at;
		double fig = ss->n_groups && ss->groups[0].n_nodes ? ss->groups[0].nodes[0].figures[0] : NAN;
		struct model_asg *g = NULL;
		time_t fc_at;
		for (size_t i = 0; i < m.regions[0].n_asgs && !g; i++)
			if (m.regions[0].asgs[i].n_forecasts)
				g = &m.regions[0].asgs[i];
		fc_at = g ? g->forecasts[0].fetched_at : 0;
		ok(fc_at > 0, "a predictive scaling forecast was read");
		ok(at > 0 && ss->metrics_newest > 0 && !isnan(fig), "ElastiCache figures read, newest minute known");
		fake_now += 20;
		collector_due(c, fake_now);
		drain(c);
		g = NULL;
		for (size_t i = 0; i < m.regions[0].n_asgs && !g; i++)
			if (m.regions[0].asgs[i].n_forecasts)
				g = &m.regions[0].asgs[i];
		ok(m.regions[0].status[MODEL_PANEL_ASG].fetched_at == fake_now && g && g->forecasts[0].fetched_at == fc_at,
		   "20 s on: the groups refreshed, their hourly forecast kept (read once a minute)");
		ok(m.regions[0].status[MODEL_PANEL_SESSIONS].fetched_at == fake_now, "20 s on: the sessions panel refreshed");
		is_int(ss->metrics_at, at, "but its figures were not asked again within CloudWatch's minute");
		ok(ss->n_groups && ss->groups[0].n_nodes && ss->groups[0].nodes[0].figures[0] == fig,
		   "and the groups keep them");
		/* the alarm history follows state updates: DescribeAlarms says when each was updated */
		{
			size_t i, with = 0;
			for (i = 0; i < m.regions[0].n_alarms; i++)
				with += m.regions[0].alarms[i].n_history > 0;
			ok(m.regions[0].status[MODEL_PANEL_ALARMS].fetched_at == fake_now, "the alarms refreshed");
			is_int(m.regions[0].alarms_history_at, fake_now - 20,
			       "their history was not asked again: no alarm's state was updated since");
			printf("# %zu of %zu alarms keep a history\n", with, m.regions[0].n_alarms);
			if (with && m.regions[0].alarms[0].n_history) {
				/* as if the newest item of an updated alarm had not been read yet */
				m.regions[0].alarms[0].history[0].at = m.regions[0].alarms[0].updated - 1;
				fake_now += 10;
				collector_due(c, fake_now);
				drain(c);
				is_int(m.regions[0].alarms_history_at, fake_now,
				       "an alarm updated after its newest item in the model: the history is read again");
				ok(m.regions[0].alarms[0].n_history && m.regions[0].alarms[0].history[0].at >= m.regions[0].alarms[0].updated,
				   "and has the item of that update");
			} else {
				ok(0, "no alarm with a history to test the re-read with");
			}
		}
	}

	/* the view's statistic changes while a refresh is in flight: the charts it brings
	 * say the statistic they were asked with (they said Maximum over Sum's data) */
	fake_now += 1;
	collector_set_metric_options(c, NULL, 60, 3600);
	collector_due(c, fake_now);
	ok(collector_in_flight(c) > 0, "a metrics refresh in flight");
	collector_set_metric_options(c, "Maximum", 60, 3600);
	drain(c);
	ok(m.regions[0].charts[0].fetched_at == fake_now, "that refresh brought the charts");
	is_str(m.regions[0].charts[0].stat, "Sum", "the refresh asked with Sum is labelled Sum, not the view's new Maximum");
	is_str(m.regions[0].charts[0].title, "requests/s", "and titled as a rate");
	is_int(collector_due(c, fake_now), 2, "and the view's Maximum is asked for at once (it waited for the next minute)");
	drain(c);
	is_str(m.regions[0].charts[0].stat, "Maximum", "then the charts are the view's");

	/* the metrics view's statistic, period and range reach every chart at once */
	collector_set_metric_options(c, "Maximum", 300, 3 * 3600);
	is_int(collector_due(c, fake_now), 2, "metric options: metrics of both regions due at once");
	drain(c);
	is_int(m.regions[0].charts[0].range_s, 3 * 3600, "metric options: the range reaches the built-in charts");
	is_int(m.regions[0].charts[0].period_s, 300, "metric options: so does the period");
	is_str(m.regions[0].charts[0].stat, "Maximum", "metric options: and the statistic");
	is_str(m.regions[0].charts[0].title, "RequestCount", "a Maximum of RequestCount is no rate: shown as it is");
	ok(m.regions[0].charts[0].n_lines == 1 && m.regions[0].charts[0].lines[0].series.n >= 30,
	   "metric options: a 3 h series at 5 min (%zu points)",
	   m.regions[0].n_charts ? m.regions[0].charts[0].lines[0].series.n : 0);
	ok(m.regions[0].lbs[0].requests_per_s > 0 && m.regions[0].lbs[0].period_s == 60,
	   "the region figures keep their Sum per minute");
	/* 7 days at 1 min: each chart call stays under GetMetricData's 100,800 datapoints
	 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html) */
	collector_set_metric_options(c, NULL, 60, 7 * 86400);
	collector_due(c, fake_now);
	drain(c);
	ok(!m.regions[0].status[MODEL_PANEL_METRICS].error.code[0], "7 d: no error (%s %s)",
	   m.regions[0].status[MODEL_PANEL_METRICS].error.code, m.regions[0].status[MODEL_PANEL_METRICS].error.message);
	is_int(m.regions[0].charts[0].range_s, 7 * 86400, "7 d: the requests chart spans the week");
	ok(m.regions[0].charts[0].lines && m.regions[0].charts[0].lines[0].series.n > 1440 && !m.regions[0].charts[0].error,
	   "7 d: more than a day of 1-min points, every one the sim has (%zu)",
	   m.regions[0].charts[0].lines ? m.regions[0].charts[0].lines[0].series.n : 0);
	is_int(panel_metrics_period(4, 7 * 86400, 60), 60, "4 queries x 7 d fit at 1 min");
	is_int(panel_metrics_period(100, 7 * 86400, 60), 600, "100 queries x 7 d need 10 min");
	is_int(panel_metrics_period(1, 3600, 90), 120, "periods are multiples of 60");
	/* a failed chart call keeps its lines and says why (the sim refuses more than 100,800 points) */
	{
		size_t lines = m.regions[0].charts[0].n_lines;
		time_t at = m.regions[0].charts[0].fetched_at;
		if (sim_add_fault(s, "throttle:GetMetricData:1", &err))
			printf("# fault: %s\n", err.message);
		fake_now += 10;
		collector_set_metric_options(c, NULL, 60, 7 * 86400);
		collector_due(c, fake_now);
		drain(c);
		ok(m.regions[0].charts[0].error != NULL, "a failing chart is marked: %s",
		   m.regions[0].charts[0].error ? m.regions[0].charts[0].error : "(none)");
		ok(m.regions[0].charts[0].n_lines == lines && m.regions[0].charts[0].fetched_at == at,
		   "and keeps its old lines and their age");
		sim_clear_faults(s);
	}
	collector_set_metric_options(c, NULL, 0, 0);
	drain(c);

	/* throttled: the old data stays, the interval doubles up to 8x */
	first = lb->fetched_at;
	changed = lb->changed;
	if (sim_add_fault(s, "throttle:DescribeLoadBalancers:1", &err))
		printf("# fault: %s\n", err.message);
	fake_now += 10;
	collector_due(c, fake_now);
	drain(c);
	is_str(lb->error.code, "Throttling", "throttled");
	is_int(lb->error_at, fake_now, "error_at");
	is_int(lb->fetched_at, first, "fetched_at kept: the data is stale");
	is_int(m.regions[0].n_lbs, 1, "old load balancers kept");
	is_int(lb->interval_s, 20, "interval doubled");
	ok(lb->changed > changed, "an error is a change");
	is_int(m.regions[0].status[MODEL_PANEL_ASG].interval_s, 10, "other panels unaffected");
	fake_now += 20;
	collector_due(c, fake_now);
	drain(c);
	is_int(lb->interval_s, 40, "40 s");
	fake_now += 40;
	collector_due(c, fake_now);
	drain(c);
	is_int(lb->interval_s, 80, "80 s");
	fake_now += 80;
	collector_due(c, fake_now);
	drain(c);
	is_int(lb->interval_s, 80, "capped at 8x");
	sim_clear_faults(s);
	fake_now += 80;
	collector_due(c, fake_now);
	drain(c);
	is_str(lb->error.code, "", "recovered");
	is_int(lb->error_at, 0, "error cleared");
	is_int(lb->fetched_at, fake_now, "fresh again");
	is_int(lb->interval_s, 10, "interval back to 10 s");
	ok(m.regions[0].lbs[0].requests_per_s > 0, "metrics carried over to the new LB structs");

	/* a failing sub-call keeps that item's old data */
	{
		int healthy = m.regions[0].tgs[0].healthy;
		sim_add_fault(s, "throttle:DescribeTargetHealth:1", &err);
		fake_now += 10;
		collector_due(c, fake_now);
		drain(c);
		is_str(lb->error.code, "Throttling", "target health throttled");
		is_int(lb->fetched_at, fake_now, "the list calls succeeded: fetched");
		is_int(m.regions[0].tgs[0].healthy, healthy, "old target health carried over");
		ok(m.regions[0].tgs[0].n_targets > 0, "old targets kept");
		sim_clear_faults(s);
	}

	/* r: everything due now */
	collector_refresh_now(c);
	is_int(collector_timeout_ms(c, fake_now), 0, "refresh now: due");
	collector_set_refresh(c, 5);
	is_int(m.regions[0].status[MODEL_PANEL_RDS].interval_s, 15, "--refresh 5: rds every 15 s");
	drain(c);

	/* a window whose newest minute has not been published yet (the sim's data ends
	 * before it): asked again at the interval, as every other panel */
	fake_now = time(NULL) / 60 * 60 + 3600;
	collector_refresh_now(c);
	ok(collector_due(c, fake_now) > 2, "an hour ahead: everything asked again");
	drain(c);
	ok(!m.regions[0].status[MODEL_PANEL_METRICS].source_bound, "newest minute missing: not caught up");
	is_int(m.regions[0].status[MODEL_PANEL_METRICS].next_due, fake_now + 5, "so due again at the interval");

	ok(collector_is_throttle("ThrottlingException"), "ThrottlingException throttles");
	ok(collector_is_throttle("RequestLimitExceeded"), "RequestLimitExceeded throttles");
	ok(!collector_is_throttle("AccessDenied"), "AccessDenied does not");
	ok(!collector_is_throttle(NULL), "NULL does not");

	/* run_once: a full round, metrics included */
	collector_destroy(c);
	model_clean_up(&m);
	model_init(&m, cfg.primary, cfg.dr);
	c = collector_new(cl, &cfg, &m, &err);
	collector_set_measure_file(c, "/nonexistent/measurements.jsonl");
	is_int(collector_run_once(c, 30000, &err), 0, "run_once");
	ok(m.regions[1].status[MODEL_PANEL_METRICS].fetched_at > 0, "metrics of the DR fetched in the same round");
	ok(m.regions[1].lbs[0].requests_per_s >= 0, "DR requests/s");
	is_int(collector_in_flight(c), 0, "nothing left in flight");
	/* destroy with calls in flight: the client is destroyed after, no callback runs */
	collector_refresh_now(c);
	collector_due(c, time(NULL));
	ok(collector_in_flight(c) > 0, "calls in flight at destroy");
	collector_destroy(c);
	client_destroy(cl);
	model_clean_up(&m);
	config_clean_up(&cfg);
	creds_provider_destroy(cp);
	sim_destroy(s);
	return done_testing();
}
