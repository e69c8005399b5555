/* fuzz_parse.c — libFuzzer target: every result parser on arbitrary JSON never crashes or leaks. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "base/xalloc.h"
#include "model/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run every parser of model/parse.h on the input, as one model would see it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	struct model m;
	struct model_region *r;
	struct fd_error e;
	struct parse_metric *pm;
	struct model_forecast f;
	size_t n;

	if (!j)
		return 0;
	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	r = &m.regions[0];
	parse_load_balancers(j, 1, &r->lbs, &r->n_lbs, &e);
	if (r->n_lbs) {
		parse_listeners(j, 1, &r->lbs[0].listeners, &r->lbs[0].n_listeners, &e);
		if (r->lbs[0].n_listeners)
			parse_rules(j, &r->lbs[0].listeners[0], &e);
	}
	parse_target_groups(j, 1, &r->tgs, &r->n_tgs, &e);
	if (r->n_tgs)
		parse_target_health(j, 1, &r->tgs[0], &e);
	parse_resolve_forwards(r);
	parse_asgs(j, 1, &r->asgs, &r->n_asgs, &e);
	parse_activities(j, 1, r->asgs, r->n_asgs, &e);
	parse_policies(j, r->asgs, r->n_asgs, &e);
	memset(&f, 0, sizeof(f));
	parse_forecast(j, 1, &f, &e);
	{
		struct model_forecast *heap = xcalloc(1, sizeof(*heap));
		*heap = f;
		model_forecasts_free(heap, 1);
	}
	parse_alarms(j, 1, &r->alarms, &r->n_alarms, &e);
	parse_alarm_history(j, r->alarms, r->n_alarms, &e);
	if (parse_metric_data(j, &pm, &n, &e) == 0) {
		if (n)
			parse_series_last(&pm[0].series, NULL);
		parse_metrics_free(pm, n);
	}
	parse_db_instances(j, 1, &r->dbs, &r->n_dbs, &e);
	parse_health_checks(j, 1, &m.route53.checks, &m.route53.n_checks, &e);
	if (m.route53.n_checks)
		parse_health_check_status(j, 1, &m.route53.checks[0], &e);
	parse_hosted_zones(j, 1, &m.route53.zones, &m.route53.n_zones, &e);
	if (m.route53.n_zones)
		parse_record_sets(j, 1, &m.route53.zones[0], &e);
	parse_dns_answer(j, 1, &m.route53.dns, &e);
	parse_resolve_dns_region(&m);
	parse_service_graph(j, &r->xray, &e);
	parse_trace_summaries(j, &r->xray, &e);
	model_summarize(&m);
	model_clean_up(&m);
	json_decref(j);
	return 0;
}
