/* test_model.c — model lifetime, comparisons and region summaries. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/model.h"
#include "model/verdict.h"
#include "tests/tap.h"

int main(void)
{
	struct model m;
	struct model_region *r;

	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	is_int(m.n_regions, 2, "two regions");
	is_str(m.regions[1].role, "dr", "second region is the DR");
	ok(isnan(m.regions[0].summary.requests_per_s), "requests unknown before data");
	is_int(model_region_index(&m, "ap-northeast-1"), 1, "region index by name");
	is_int(model_region_index(&m, "us-east-1"), -1, "unknown region");

	ok(model_cmp_holds(MODEL_CMP_LT, 59, 60), "59 < 60");
	ok(!model_cmp_holds(MODEL_CMP_LT, 60, 60), "60 is not < 60");
	ok(model_cmp_holds(MODEL_CMP_GE, 30, 30), "30 >= 30");
	ok(model_cmp_holds(MODEL_CMP_EQ, 0, 0), "0 == 0");
	is_str(model_cmp_text(MODEL_CMP_LE), "<=", "cmp text");
	is_str(model_target_status_name(MODEL_TARGET_NO_DATA), "no_data", "status name");
	is_str(model_panel_name(MODEL_PANEL_ROUTE53), "route53", "panel name");

	r = &m.regions[0];
	r->n_lbs = 2;
	r->lbs = xcalloc(2, sizeof(*r->lbs));
	r->lbs[0].name = xstrdup("a");
	r->lbs[0].requests_per_s = 100; r->lbs[0].http_5xx_pct = 2; r->lbs[0].p99_ms = 120;
	r->lbs[1].name = xstrdup("b");
	r->lbs[1].requests_per_s = 300; r->lbs[1].http_5xx_pct = 0; r->lbs[1].p99_ms = 80;
	r->n_alarms = 2;
	r->alarms = xcalloc(2, sizeof(*r->alarms));
	r->alarms[0].state = xstrdup("ALARM");
	r->alarms[1].state = xstrdup("OK");
	r->n_asgs = 1;
	r->asgs = xcalloc(1, sizeof(*r->asgs));
	r->asgs[0].min = 2; r->asgs[0].desired = 4; r->asgs[0].max = 8; r->asgs[0].in_service = 3;
	/* DNS answers with the primary's record value */
	m.route53.n_zones = 1;
	m.route53.zones = xcalloc(1, sizeof(*m.route53.zones));
	m.route53.zones[0].n_records = 1;
	m.route53.zones[0].records = xcalloc(1, sizeof(*m.route53.zones[0].records));
	m.route53.zones[0].records[0].name = xstrdup("app.example.com.");
	m.route53.zones[0].records[0].region = xstrdup("ap-northeast-2");
	m.route53.zones[0].records[0].value = xstrdup("192.0.2.1");
	m.route53.dns.answers = xcalloc(2, sizeof(char *));
	m.route53.dns.answers[0] = xstrdup("192.0.2.1");
	m.route53.dns.n_answers = 1;
	model_summarize(&m);
	ok(fabs(r->summary.requests_per_s - 400) < 1e-9, "requests summed over LBs");
	ok(fabs(r->summary.http_5xx_pct - 0.5) < 1e-9, "5xx weighted by requests");
	ok(fabs(r->summary.p99_ms - 120) < 1e-9, "p99 is the worst LB's");
	is_int(r->summary.alarms_in_alarm, 1, "alarms in ALARM counted");
	is_int(r->summary.asg_desired, 4, "ASG desired");
	ok(r->summary.dns_answering, "DNS answers with the primary");
	ok(!m.regions[1].summary.dns_answering, "not with the DR");

	/* severities: an idle region's 2 errors in 90 requests is not an outage;
	 * the same rate on a busy one is */
	{
		struct model_region *dr = &m.regions[1];
		dr->n_lbs = 1;
		dr->lbs = xcalloc(1, sizeof(*dr->lbs));
		dr->lbs[0].requests_per_s = 1.5;
		dr->lbs[0].http_5xx_pct = 2.0 * 100 / 90;
		dr->lbs[0].data_at = 1000;
		dr->lbs[0].period_s = 60;
		model_summarize(&m);
		is_int(dr->summary.sev[MODEL_FIG_5XX], MODEL_SEV_OK, "idle DR: 2 errors in 90 requests is not bad");
		dr->lbs[0].requests_per_s = 300;
		model_summarize(&m);
		is_int(dr->summary.sev[MODEL_FIG_5XX], MODEL_SEV_WARN, "2.2 %% of 300 req/s: a warning");
		dr->lbs[0].http_5xx_pct = 40;
		model_summarize(&m);
		is_int(dr->summary.sev[MODEL_FIG_5XX], MODEL_SEV_BAD, "40 %% of 300 req/s: bad");
		ok(!model_fig_stale(&dr->summary, MODEL_FIG_RPS, 1000 + 240), "4 min after its minute ended: not stale");
		ok(model_fig_stale(&dr->summary, MODEL_FIG_RPS, 1000 + 241), "2 periods + 120 s later: stale");
		is_int(model_fig_data_age(&dr->summary, MODEL_FIG_RPS, 1030), 30, "the datapoint's age");
	}
	/* a region whose targets all fail is down, and its 0/N is bad */
	r->n_tgs = 1;
	r->tgs = xcalloc(1, sizeof(*r->tgs));
	r->tgs[0].unhealthy = 4;
	r->status[MODEL_PANEL_LB].fetched_at = 1;
	model_summarize(&m);
	ok(r->summary.down, "0/4 healthy: the region is down");
	is_str(r->summary.down_why, "0/4 healthy hosts", "and says why");
	is_int(r->summary.sev[MODEL_FIG_HOSTS], MODEL_SEV_BAD, "0/4 is bad, not a warning");
	r->tgs[0].healthy = 1;
	r->tgs[0].unhealthy = 3;
	model_summarize(&m);
	is_int(r->summary.sev[MODEL_FIG_HOSTS], MODEL_SEV_WARN, "1/4: a warning");
	ok(!r->summary.down, "and not down");
	{
		struct model_series s = { 0 };
		time_t ts[3] = { 0, 60, 600 };
		double v[3] = { 1, 3, 10 }, out[4];
		s.ts = ts;
		s.values = v;
		s.n = 3;
		series_bucket(&s, 0, 1200, 60, out, 4);
		ok(out[0] == 2 && isnan(out[1]) && out[2] == 10 && isnan(out[3]), "buckets: means, gaps NAN (%g %g %g %g)",
		   out[0], out[1], out[2], out[3]);
		series_bucket(&s, 0, 120, 60, out, 4);
		ok(out[0] == 1 && out[1] == 1 && out[2] == 3 && out[3] == 3, "fewer periods than columns: each spans columns");
	}

	model_touch(&m, model_status_of(&m, 1, MODEL_PANEL_LB));
	is_int(m.regions[1].status[MODEL_PANEL_LB].changed, 1, "panel counter bumped");
	is_int(m.generation, 1, "model generation bumped");
	ok(model_status_of(&m, 0, MODEL_PANEL_ROUTE53) == &m.route53_status, "route53 status is global");
	model_clean_up(&m);

	{
		/* the status line at 80 columns: whole items, worst first, the rest counted */
		struct verdict v = { .n = 5 };
		const char *items[] = { "PRIMARY DOWN", "DNS ON DR", "DR DB REPLICA LAGGING", "1 TARGET MISSED", "4 ALARMS" };
		char buf[200];
		int i;
		for (i = 0; i < 5; i++)
			snprintf(v.items[i].text, sizeof(v.items[i].text), "%s", items[i]);
		is_str(verdict_line_fit(&v, " | ", 3, 78, buf, sizeof(buf)),
		       "PRIMARY DOWN | DNS ON DR | DR DB REPLICA LAGGING | 1 TARGET MISSED | 4 ALARMS", "all fit in 78");
		is_str(verdict_line_fit(&v, " | ", 3, 59, buf, sizeof(buf)),
		       "PRIMARY DOWN | DNS ON DR | DR DB REPLICA LAGGING | +2 MORE",
		       "59 columns: no item cut ('1 TARGET' was), the rest counted");
		ok(strlen(buf) <= 59, "and it fits (%zu)", strlen(buf));
		is_str(verdict_line_fit(&v, " \xc2\xb7 ", 3, 30, buf, sizeof(buf)), "PRIMARY DOWN \xc2\xb7 +4 MORE",
		       "the separator counts as its columns, not its bytes");
		is_str(verdict_line_fit(&v, " | ", 3, 7, buf, sizeof(buf)), "PRIMARY", "only the worst, cut, when nothing fits whole");
		v.n = 0;
		is_str(verdict_line_fit(&v, " | ", 3, 78, buf, sizeof(buf)), "", "no items: empty");
	}

	/* one rule for a failure rate, in every view: enough failures to mean something */
	is_int(model_sev_failures(2.0 * 100 / 90, 90), MODEL_SEV_OK, "2 errors in 90 requests (an idle region): ok");
	is_int(model_sev_failures(3.33, 900), MODEL_SEV_WARN, "3.33 %% of 900 (30 failures): a warning, not bad");
	is_int(model_sev_failures(5, 200), MODEL_SEV_BAD, "5 %% of 200 (10 failures): bad");
	is_int(model_sev_failures(50, 10), MODEL_SEV_WARN, "50 %% of 10 requests (5 failures): a warning");
	is_int(model_sev_failures(NAN, 100), MODEL_SEV_UNKNOWN, "no rate: unknown, never ok");
	is_int(model_sev_failures(10, NAN), MODEL_SEV_UNKNOWN, "a rate without a count: unknown (it was ok)");

	model_init(&m, "us-west-2", "us-west-2");
	is_int(m.n_regions, 1, "same DR as primary: one region");
	model_clean_up(&m);
	return done_testing();
}
