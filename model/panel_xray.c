/* panel_xray.c — the X-Ray panel: the service graph of the last 10 minutes and recent traces. */
#include "model/panel_xray.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/collector.h"
#include "model/panel.h"


/* p99 of a ResponseTimeHistogram ([{Value seconds, Count}]) in ms, NAN when empty. */
static double histogram_p99_ms(const json_t *hist)
{
	double total = 0, need, acc = 0, *vals, *cnts;
	size_t n = json_array_size(hist), i, j;
	const json_t *e;

	if (!n)
		return NAN;
	vals = xcalloc(n, sizeof(double));
	cnts = xcalloc(n, sizeof(double));
	json_array_foreach(hist, i, e) {
		vals[i] = panel_num(e, "Value", 0);
		cnts[i] = panel_num(e, "Count", 0);
		total += cnts[i];
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && vals[j - 1] > vals[j]; j--) {
			double t = vals[j]; vals[j] = vals[j - 1]; vals[j - 1] = t;
			t = cnts[j]; cnts[j] = cnts[j - 1]; cnts[j - 1] = t;
		}
	need = total * 0.99;
	for (i = 0; i < n; i++) {
		acc += cnts[i];
		if (acc >= need)
			break;
	}
	acc = total > 0 ? vals[i < n ? i : n - 1] * 1000.0 : NAN;
	free(vals);
	free(cnts);
	return acc;
}

/* Count and rates from SummaryStatistics over window seconds. */
static void stats_from(const json_t *st, double window_s, double *requests, double *rps, double *err_pct,
		       double *fault_pct, double *throttle_pct, double *avg_ms)
{
	double total = panel_num(st, "TotalCount", 0);
	const json_t *es = json_object_get(st, "ErrorStatistics"), *fs = json_object_get(st, "FaultStatistics");

	*requests = total;
	*rps = window_s > 0 ? total / window_s : NAN;
	*err_pct = total > 0 ? panel_num(es, "TotalCount", 0) * 100.0 / total : 0;
	*fault_pct = total > 0 ? panel_num(fs, "TotalCount", 0) * 100.0 / total : 0;
	if (throttle_pct)
		*throttle_pct = total > 0 ? panel_num(es, "ThrottleCount", 0) * 100.0 / total : 0;
	*avg_ms = total > 0 ? panel_num(st, "TotalResponseTime", 0) * 1000.0 / total : NAN;
}

/* Parse GetServiceGraph. */
int panel_xray_parse_graph(const json_t *res, struct model_xray *x, struct fd_error *err)
{
	const json_t *arr, *e, *ed, *ee;
	struct model_xray_node *nodes;
	struct model_xray_edge *edges = NULL;
	size_t i, k, n_edges = 0;
	bool bad = false;
	double window;
	time_t start, end;

	if (panel_need_object(res, "GetServiceGraph", err))
		return -1;
	arr = panel_list(res, "Services", &bad);
	if (bad)
		return panel_shape_error(err, "GetServiceGraph", "Services is not a list");
	start = panel_time(res, "StartTime");
	end = panel_time(res, "EndTime");
	window = start && end > start ? (double)(end - start) : 0;
	nodes = xcalloc(json_array_size(arr) + 1, sizeof(*nodes));
	json_array_foreach(arr, i, e) {
		double w = window;
		time_t s0 = panel_time(e, "StartTime"), s1 = panel_time(e, "EndTime");
		if (s0 && s1 > s0)
			w = (double)(s1 - s0);
		nodes[i].ref_id = panel_int(e, "ReferenceId", (int)i);
		nodes[i].name = panel_str(e, "Name");
		nodes[i].type = panel_str(e, "Type");
		stats_from(json_object_get(e, "SummaryStatistics"), w, &nodes[i].requests, &nodes[i].requests_per_s,
			   &nodes[i].error_pct, &nodes[i].fault_pct, &nodes[i].throttle_pct, &nodes[i].avg_ms);
		nodes[i].p99_ms = histogram_p99_ms(json_object_get(e, "ResponseTimeHistogram"));
		ed = json_object_get(e, "Edges");
		json_array_foreach(ed, k, ee) {
			struct model_xray_edge *g;
			double ew = w;
			time_t e0 = panel_time(ee, "StartTime"), e1 = panel_time(ee, "EndTime");
			if (e0 && e1 > e0)
				ew = (double)(e1 - e0);
			edges = xrealloc(edges, (n_edges + 1) * sizeof(*edges));
			g = &edges[n_edges++];
			g->from = nodes[i].ref_id;
			g->to = panel_int(ee, "ReferenceId", -1);
			stats_from(json_object_get(ee, "SummaryStatistics"), ew, &g->requests, &g->requests_per_s,
				   &g->error_pct, &g->fault_pct, NULL, &g->avg_ms);
			g->p99_ms = histogram_p99_ms(json_object_get(ee, "ResponseTimeHistogram"));
		}
	}
	for (i = 0; i < x->n_nodes; i++) {
		free(x->nodes[i].name);
		free(x->nodes[i].type);
	}
	free(x->nodes);
	free(x->edges);
	x->nodes = nodes;
	x->n_nodes = json_array_size(arr);
	x->edges = edges;
	x->n_edges = n_edges;
	x->start = start;
	x->end = end;
	return 0;
}

/* Order traces newest first. */
static int trace_cmp(const void *a, const void *b)
{
	const struct model_trace *x = a, *y = b;

	return (x->at < y->at) - (x->at > y->at);
}

/* Parse GetTraceSummaries. */
int panel_xray_parse_traces(const json_t *res, struct model_xray *x, struct fd_error *err)
{
	const json_t *arr, *e;
	struct model_trace *v;
	bool bad = false;
	size_t i;

	if (panel_need_object(res, "GetTraceSummaries", err))
		return -1;
	arr = panel_list(res, "TraceSummaries", &bad);
	if (bad)
		return panel_shape_error(err, "GetTraceSummaries", "TraceSummaries is not a list");
	v = xcalloc(json_array_size(arr) + 1, sizeof(*v));
	json_array_foreach(arr, i, e) {
		const json_t *http = json_object_get(e, "Http");
		v[i].id = panel_str(e, "Id");
		v[i].at = panel_time(e, "StartTime");
		if (!v[i].at && v[i].id && strncmp(v[i].id, "1-", 2) == 0)
			v[i].at = (time_t)strtol(v[i].id + 2, NULL, 16);
		v[i].duration_s = panel_num(e, "Duration", NAN);
		v[i].response_time_s = panel_num(e, "ResponseTime", NAN);
		v[i].has_error = panel_bool(e, "HasError");
		v[i].has_fault = panel_bool(e, "HasFault");
		v[i].has_throttle = panel_bool(e, "HasThrottle");
		v[i].http_status = panel_int(http, "HttpStatus", 0);
		v[i].method = panel_str(http, "HttpMethod");
		v[i].url = panel_str(http, "HttpURL");
	}
	qsort(v, json_array_size(arr), sizeof(*v), trace_cmp);
	for (i = 0; i < x->n_traces; i++) {
		free(x->traces[i].id);
		free(x->traces[i].method);
		free(x->traces[i].url);
	}
	free(x->traces);
	x->traces = v;
	x->n_traces = json_array_size(arr);
	return 0;
}

/* --- freeing ------------------------------------------------------------------------- */

/* Free the X-Ray graph and traces. */
void panel_xray_clean_up(struct model_xray *x)
{
	size_t i;

	for (i = 0; i < x->n_nodes; i++) {
		free(x->nodes[i].name);
		free(x->nodes[i].type);
	}
	free(x->nodes);
	free(x->edges);
	for (i = 0; i < x->n_traces; i++) {
		free(x->traces[i].id);
		free(x->traces[i].method);
		free(x->traces[i].url);
	}
	free(x->traces);
	memset(x, 0, sizeof(*x));
}

/* --- refreshing ---------------------------------------------------------------------- */

/* The calls of a refresh (rows of xray_calls[]). */
enum { K_GRAPH, K_TRACES, K_COUNT };

/* What a refresh stages before the swap. */
struct xray_stage {
	struct model_xray xray;
	bool have_graph, have_traces;
};

/* Start: the graph of the last 10 minutes; traces of the last 5 while the X-Ray view,
 * the only one that shows them, is open (they were a quarter of the CPU at rest; each
 * kept trace shows its own age). */
static void start_xray(struct panel_job *j)
{
	time_t now = j->now;

	collector_call(j, K_GRAPH, json_pack("{s:I, s:I}", "StartTime", (json_int_t)(now - 600), "EndTime",
					     (json_int_t)now), 0, 0);
	if (j->shared->traces_wanted)
		collector_call(j, K_TRACES, json_pack("{s:I, s:I, s:b}", "StartTime", (json_int_t)(now - 300), "EndTime",
					      (json_int_t)now, "Sampling", 0), 0, 0);
}

static void done_graph(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct xray_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_xray_parse_graph(res, &s->xray, &e))
		collector_job_error(j, &e, true);
	else
		s->have_graph = true;
}

static void done_traces(struct panel_job *j, size_t idx, size_t sub, json_t *res)
{
	struct xray_stage *s = j->stage;
	struct fd_error e;

	(void)idx;
	(void)sub;
	if (panel_xray_parse_traces(res, &s->xray, &e))
		collector_job_error(j, &e, false);
	else
		s->have_traces = true;
}

/* Swap in what arrived (graph and traces independently). */
static void finish_xray(struct panel_job *j)
{
	struct xray_stage *s = j->stage;
	struct model_xray *x = &panel_region(j)->xray;
	struct model_xray tmp;

	if (s->have_graph) {
		tmp = *x;
		x->nodes = s->xray.nodes;
		x->n_nodes = s->xray.n_nodes;
		x->edges = s->xray.edges;
		x->n_edges = s->xray.n_edges;
		x->start = s->xray.start;
		x->end = s->xray.end;
		s->xray.nodes = tmp.nodes;
		s->xray.n_nodes = tmp.n_nodes;
		s->xray.edges = tmp.edges;
		s->xray.n_edges = tmp.n_edges;
	}
	if (s->have_traces) {
		tmp = *x;
		x->traces = s->xray.traces;
		x->n_traces = s->xray.n_traces;
		s->xray.traces = tmp.traces;
		s->xray.n_traces = tmp.n_traces;
	}
}

/* Free what a refresh staged. */
static void stage_clean_up(void *stage)
{
	struct xray_stage *s = stage;

	panel_xray_clean_up(&s->xray);
}

/* Free a region's graph and traces. */
static void model_part_clean_up(struct model *m, size_t region)
{
	panel_xray_clean_up(&m->regions[region].xray);
}

/* X-Ray is read only when the config asks for it. */
static bool xray_enabled(const struct fd_config *cfg)
{
	return cfg->xray;
}

static const struct panel_call xray_calls[K_COUNT] = {
	[K_GRAPH] = { "xray", "GetServiceGraph", CLIENT_ALL_PAGES, true, done_graph, NULL },
	[K_TRACES] = { "xray", "GetTraceSummaries", 0, false, done_traces, NULL },
};

const struct panel_def panel_xray_def = {
	.panel = MODEL_PANEL_XRAY,
	.name = "xray",
	.interval_mult = 1,
	.enabled = xray_enabled,
	.calls = xray_calls,
	.n_calls = K_COUNT,
	.stage_size = sizeof(struct xray_stage),
	.start = start_xray,
	.finish = finish_xray,
	.stage_clean_up = stage_clean_up,
	.model_clean_up = model_part_clean_up,
};
