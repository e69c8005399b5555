/* panel_xray.h — the X-Ray panel: the service graph and recent trace summaries.
 *
 * Parsers read one operation's botocore-shaped result and build fresh arrays
 * the caller swaps in; a result of the wrong shape fails with "ParseError" and
 * leaves the outputs untouched. `now` stamps fetched_at. Arrays and strings
 * belong to whoever holds them and are freed with the _free functions here.
 */
#ifndef FD_PANEL_XRAY_H
#define FD_PANEL_XRAY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/error.h"

struct model;
struct model_region;

struct model_xray_node {
	int ref_id;
	char *name;
	char *type;                 /* client / AWS::ElasticLoadBalancingV2::LoadBalancer / ... */
	double requests_per_s;
	double requests;            /* TotalCount in the graph's window (for severities) */
	double error_pct, fault_pct, throttle_pct;
	double avg_ms, p99_ms;      /* p99 from the response time histogram, NAN when none */
};

struct model_xray_edge {
	int from, to;               /* ref ids */
	double requests_per_s;
	double requests;            /* TotalCount in the graph's window */
	double error_pct, fault_pct;
	double avg_ms, p99_ms;
};

struct model_trace {
	char *id;
	time_t at;                  /* StartTime when present, else from the trace id */
	double duration_s;
	double response_time_s;
	bool has_error, has_fault, has_throttle;
	int http_status;            /* 0 unknown */
	char *method;
	char *url;
};

struct model_xray {
	struct model_xray_node *nodes;
	size_t n_nodes;
	struct model_xray_edge *edges;
	size_t n_edges;
	struct model_trace *traces; /* newest first */
	size_t n_traces;
	time_t start, end;          /* the graph's window */
};


/* GetServiceGraph: replaces the nodes, edges and window of x. */
int panel_xray_parse_graph(const json_t *res, struct model_xray *x, struct fd_error *err);
/* GetTraceSummaries: replaces the traces of x (newest first). */
int panel_xray_parse_traces(const json_t *res, struct model_xray *x, struct fd_error *err);

void panel_xray_clean_up(struct model_xray *x);

#endif
