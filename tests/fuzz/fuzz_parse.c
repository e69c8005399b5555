/* fuzz_parse.c — libFuzzer target: every panel parser on arbitrary JSON never crashes or leaks. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "base/xalloc.h"
#include "model/panel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run every panel parser (model/panel_*.h) on the input, as one model would see it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	struct model m;
	struct model_region *r;
	struct fd_error e;
	struct panel_metrics_result *pm;
	struct model_forecast f;
	size_t n;

	if (!j)
		return 0;
	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	r = &m.regions[0];
	panel_lb_parse_load_balancers(j, 1, &r->lbs, &r->n_lbs, &e);
	if (r->n_lbs) {
		panel_lb_parse_listeners(j, 1, &r->lbs[0].listeners, &r->lbs[0].n_listeners, &e);
		if (r->lbs[0].n_listeners)
			panel_lb_parse_rules(j, &r->lbs[0].listeners[0], &e);
	}
	panel_lb_parse_target_groups(j, 1, &r->tgs, &r->n_tgs, &e);
	if (r->n_tgs)
		panel_lb_parse_target_health(j, 1, &r->tgs[0], &e);
	panel_lb_resolve_forwards(r);
	panel_lb_parse_network_interfaces(j, &r->addresses, &r->n_addresses, &e);
	panel_asg_parse_groups(j, 1, &r->asgs, &r->n_asgs, &e);
	panel_asg_parse_activities(j, 1, r->asgs, r->n_asgs, &e);
	panel_asg_parse_policies(j, r->asgs, r->n_asgs, &e);
	memset(&f, 0, sizeof(f));
	panel_asg_parse_forecast(j, 1, &f, &e);
	{
		struct model_forecast *heap = xcalloc(1, sizeof(*heap));
		*heap = f;
		panel_asg_forecasts_free(heap, 1);
	}
	panel_alarms_parse(j, 1, &r->alarms, &r->n_alarms, &e);
	panel_alarms_parse_history(j, r->alarms, r->n_alarms, &e);
	if (panel_metrics_parse(j, &pm, &n, &e) == 0) {
		if (n)
			series_last(&pm[0].series, NULL);
		panel_metrics_results_free(pm, n);
	}
	panel_rds_parse(j, 1, &r->dbs, &r->n_dbs, &e);
	panel_route53_parse_health_checks(j, 1, &m.route53.checks, &m.route53.n_checks, &e);
	if (m.route53.n_checks)
		panel_route53_parse_health_check_status(j, 1, &m.route53.checks[0], &e);
	panel_route53_parse_hosted_zones(j, 1, &m.route53.zones, &m.route53.n_zones, &e);
	if (m.route53.n_zones)
		panel_route53_parse_record_sets(j, 1, &m.route53.zones[0], &e);
	panel_route53_parse_dns_answer(j, 1, &m.route53.dns, &e);
	panel_route53_resolve_regions(&m);
	panel_xray_parse_graph(j, &r->xray, &e);
	panel_xray_parse_traces(j, &r->xray, &e);
	model_summarize(&m);
	model_clean_up(&m);
	json_decref(j);
	return 0;
}
