/* view_xray.c — the X-Ray service map drawn in columns by call depth (nodes
 * with requests/s, error and fault %, p99), the edges, and trace summaries
 * with drill-down. */
#include "tui/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "model/panel.h"

#define MAX_NODES 64

/* The region shown: the one :region names when the model has it, else the primary. */
static struct model_region *shown_region(struct tui *t, struct model *m)
{
	int i = model_region_index(m, t->region);

	return &m->regions[i >= 0 ? i : 0];
}

/* Index of the node with ref id, -1 when none. */
static int node_index(const struct model_xray *x, int ref)
{
	size_t i;

	for (i = 0; i < x->n_nodes && i < MAX_NODES; i++)
		if (x->nodes[i].ref_id == ref)
			return (int)i;
	return -1;
}

/* Depth of every node: the longest call path from a node nobody calls. */
static int depths(const struct model_xray *x, int *depth)
{
	size_t n = x->n_nodes < MAX_NODES ? x->n_nodes : MAX_NODES, i, e, round;
	int max = 0;

	for (i = 0; i < n; i++)
		depth[i] = 0;
	for (round = 0; round < n; round++) {
		bool moved = false;
		for (e = 0; e < x->n_edges; e++) {
			int a = node_index(x, x->edges[e].from), b = node_index(x, x->edges[e].to);
			if (a >= 0 && b >= 0 && a != b && depth[b] < depth[a] + 1 && depth[a] + 1 < (int)n) {
				depth[b] = depth[a] + 1;
				moved = true;
			}
		}
		if (!moved)
			break;
	}
	for (i = 0; i < n; i++)
		if (depth[i] > max)
			max = depth[i];
	return max + 1;
}

/* Does the node call anything? */
static bool calls_out(const struct model_xray *x, int ref)
{
	size_t e;

	for (e = 0; e < x->n_edges; e++)
		if (x->edges[e].from == ref)
			return true;
	return false;
}

/* A node's name in w columns: a host name ("petclinic-redis-001.ap-northeast-2.cache.
 * amazonaws.com") by its first label when the whole does not fit, since the shared
 * domain would otherwise be all that is left of two hosts; then shortened in the
 * middle. Into buf. */
static const char *node_name(char *buf, size_t size, const char *name, int w, bool ascii)
{
	const char *dot = strchr(name, '.');
	char host[128];

	if (fmt_width(name) <= w || !dot || dot == name || strchr(name, ' ') || (size_t)(dot - name) >= sizeof(host))
		return fmt_middle(buf, size, name, w, ascii);
	snprintf(host, sizeof(host), "%.*s%s", (int)(dot - name), name, ascii ? ".." : "\xe2\x80\xa6");
	return fmt_middle(buf, size, host, w, ascii);
}

/* The role of fault and error percentages of requests: faults (5xx) by the rule of
 * every 5xx figure; errors (4xx, the client's) at most a warning. */
static enum color_role pct_role(double fault, double err, double requests)
{
	enum model_sev f = model_sev_failures(fault, requests), e = model_sev_failures(err, requests);

	if (e > MODEL_SEV_WARN)
		e = MODEL_SEV_WARN;
	return color_sev(f > e ? f : e);
}

/* The map: one column per depth, three rows per node; returns rows used. */
static int draw_map(struct tui *t, const struct model_xray *x, int y, int max_rows)
{
	int depth[MAX_NODES], cols = depths(x, depth), colw, row_of[MAX_NODES], used[MAX_NODES] = { 0 };
	size_t n = x->n_nodes < MAX_NODES ? x->n_nodes : MAX_NODES, i;
	int rows = 0;
	char a[16], b[16], c[16], d[16], name[128];

	if (cols < 1)
		return 0;
	colw = (t->cols - 1) / cols;
	if (colw > 30)
		colw = 30;
	for (i = 0; i < n; i++) {
		row_of[i] = used[depth[i]]++ * 4;
		if (row_of[i] + 3 > rows)
			rows = row_of[i] + 3;
	}
	for (i = 0; i < n; i++) {
		const struct model_xray_node *nd = &x->nodes[i];
		int nx = 1 + depth[i] * colw, ny = y + row_of[i], w = colw - 3;
		if (row_of[i] + 3 > max_rows)
			continue;
		/* the name leaves a space before its arrow */
		draw_text(t, ny, nx, w - 1, ROLE_HEADER, node_name(name, sizeof(name), views_s(nd->name), w - 1, !t->utf8));
		draw_textf(t, ny + 1, nx, w, ROLE_NORMAL, "%s/s p99 %s%s", fmt_num(a, 16, nd->requests_per_s),
			   fmt_num(b, 16, nd->p99_ms), isfinite(nd->p99_ms) ? "ms" : "");
		draw_textf(t, ny + 2, nx, w, pct_role(nd->fault_pct, nd->error_pct, nd->requests), "e %s%% f %s%%",
			   fmt_num(c, 16, nd->error_pct), fmt_num(d, 16, nd->fault_pct));
		if (calls_out(x, nd->ref_id))
			draw_text(t, ny, nx + colw - 3, 2, ROLE_DIM, t->utf8 ? "\xe2\x94\x80\xe2\x96\xb6" : "->");
	}
	return rows < max_rows ? rows : max_rows;
}

/* The traces that match the filter, as indexes into x->traces; returns how many. */
static int trace_list(const struct view_state *vs, const struct model_xray *x, int *idx)
{
	size_t i;
	int n = 0;

	for (i = 0; i < x->n_traces && n < 256; i++)
		if (fmt_match(x->traces[i].url, vs->filter) || fmt_match(x->traces[i].id, vs->filter))
			idx[n++] = (int)i;
	return n;
}

/* The selection follows its trace id across refreshes, unless a key moved it. */
static void follow(struct view_state *vs, const struct model_xray *x, const int *idx, int n)
{
	if (vs->sel != vs->drawn_sel || !vs->sel_id[0])
		return;
	for (int k = 0; k < n; k++)
		if (panel_same(x->traces[idx[k]].id, vs->sel_id))
			vs->sel = k;
}

/* The selected trace, all its fields. */
static void draw_trace_detail(struct tui *t, const struct model_trace *tr, int y, int bottom)
{
	char a[16], when[32];
	struct tm tm;
	const struct { const char *label; char value[300]; } *row;
	struct { const char *label; char value[300]; } rows[8];
	int n = 0, k;

	rows[n].label = "trace id";
	snprintf(rows[n++].value, 300, "%s", views_s(tr->id));
	rows[n].label = "started";
	if (tr->at && gmtime_r(&tr->at, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		snprintf(when, sizeof(when), "-");
	snprintf(rows[n++].value, 300, "%s (%s ago)", when, fmt_age(a, sizeof(a), tr->at ? (long)(time(NULL) - tr->at) : -1));
	rows[n].label = "duration";
	snprintf(rows[n++].value, 300, "%.3f s (response %.3f s)", tr->duration_s, tr->response_time_s);
	rows[n].label = "request";
	snprintf(rows[n++].value, 300, "%s %s", views_s(tr->method), views_s(tr->url));
	rows[n].label = "status";
	snprintf(rows[n++].value, 300, "%d%s%s%s", tr->http_status, tr->has_error ? " error" : "",
		 tr->has_fault ? " fault" : "", tr->has_throttle ? " throttle" : "");
	for (k = 0; k < n && y + k < bottom; k++) {
		row = (const void *)&rows[k];
		draw_textf(t, y + k, 1, 10, ROLE_DIM, "%-10s", row->label);
		draw_text(t, y + k, 12, t->cols - 13, k == 4 && (tr->has_fault || tr->has_error) ? ROLE_BAD : ROLE_NORMAL,
			  row->value);
	}
	if (y + n + 1 < bottom)
		draw_text(t, y + n + 1, 1, t->cols - 2, ROLE_DIM, "Esc: back to the list");
}

/* Draw the map, the edges and the traces (or one trace after Enter). */
void view_xray_draw(struct tui *t, int top, int height)
{
	struct model *m = tui_model(t);
	struct view_state *vs = views_state(t);
	struct model_region *rg;
	struct model_xray *x;
	int y = top, bottom = top + height, list_h, k, map_max, idx[256], n = 0;
	int nw = (t->cols - 44) / 2 < 18 ? 18 : (t->cols - 44) / 2 > 40 ? 40 : (t->cols - 44) / 2;   /* edge names */
	size_t e;
	char title[96], a[16], b[16], c[16], age[16];

	if (!m) {
		views_section_panel(t, y, "X-Ray service map", MODEL_PANEL_XRAY);
		return;
	}
	rg = shown_region(t, m);
	x = &rg->xray;
	n = trace_list(vs, x, idx);
	follow(vs, x, idx, n);
	views_clamp(vs, n, 1);
	if (vs->detail > 0) {
		snprintf(title, sizeof(title), "Trace %s", vs->sel_id);
		views_section_panel(t, y++, title, MODEL_PANEL_XRAY);
		if (n > 0 && panel_same(x->traces[idx[vs->sel]].id, vs->sel_id))
			draw_trace_detail(t, &x->traces[idx[vs->sel]], y, bottom);
		else
			draw_text(t, y, 1, t->cols - 2, ROLE_DIM, "this trace is no longer in the sampled list (Esc: back)");
		return;
	}
	snprintf(title, sizeof(title), "X-Ray service map %s", rg->name);
	views_section_panel(t, y++, title, MODEL_PANEL_XRAY);
	if (x->n_nodes == 0) {
		draw_text(t, y++, 2, t->cols - 4, ROLE_DIM, "no service graph");
	} else {
		map_max = height - 1 - 1 - (int)(x->n_edges < 4 ? x->n_edges : 4) - 4;
		y += draw_map(t, x, y, map_max);
	}
	if (y < bottom - 3 && x->n_edges) {
		draw_section(t, y++, "Edges", DRAW_NO_AGE, NULL);
		for (e = 0; e < x->n_edges && e < 4 && y < bottom - 3; e++, y++) {
			struct model_xray_edge *ed = &x->edges[e];
			int f = node_index(x, ed->from), to = node_index(x, ed->to);
			char fa[256], tb[256];
			draw_textf(t, y, 1, 2 * nw + 4, ROLE_NORMAL, "%s -> %s",
				   node_name(fa, sizeof(fa), f >= 0 ? views_s(x->nodes[f].name) : "?", nw, !t->utf8),
				   node_name(tb, sizeof(tb), to >= 0 ? views_s(x->nodes[to].name) : "?", nw, !t->utf8));
			draw_textf(t, y, 2 * nw + 6, t->cols - 2 * nw - 7, pct_role(ed->fault_pct, ed->error_pct, ed->requests), "%s/s flt %s%% p99 %sms",
				   fmt_num(a, 16, ed->requests_per_s), fmt_num(b, 16, ed->fault_pct), fmt_num(c, 16, ed->p99_ms));
		}
	}
	if (y >= bottom - 1)
		return;
	draw_section(t, y++, "Traces (Enter: details)", DRAW_NO_AGE, NULL);
	list_h = bottom - y;
	views_clamp(vs, n, list_h);
	for (k = 0; k < list_h && vs->scroll + k < n; k++) {
		const struct model_trace *tr = &x->traces[idx[vs->scroll + k]];
		bool on = vs->scroll + k == vs->sel;
		enum color_role role = on ? ROLE_SELECT : tr->has_fault ? ROLE_BAD : tr->has_error ? ROLE_WARN : ROLE_NORMAL;
		draw_textf(t, y + k, 0, t->cols, role, " %4s %7.3fs %3d %-4s %s", fmt_age(age, sizeof(age), tr->at ? (long)(time(NULL) - tr->at) : -1),
			   tr->duration_s, tr->http_status, views_s(tr->method), views_s(tr->url));
	}
	if (n == 0)
		draw_text(t, y, 2, t->cols - 4, ROLE_DIM, "no traces");
	snprintf(vs->sel_id, sizeof(vs->sel_id), "%s", n ? views_s(x->traces[idx[vs->sel]].id) : "");
	vs->drawn_sel = vs->sel;
}

/* Enter: open the selected trace. */
static int xray_open(struct tui *t, int ch)
{
	struct view_state *vs = views_state(t);
	struct model *m = tui_model(t);
	int idx[256], n;

	(void)ch;
	if (vs->detail == 0 && m) {
		const struct model_xray *x = &shown_region(t, m)->xray;
		n = trace_list(vs, x, idx);
		follow(vs, x, idx, n);   /* the list may have changed since it was drawn */
		if (vs->sel < 0 || vs->sel >= n)
			return TUI_HANDLED;
		/* open the trace selected now, and keep it by its id */
		snprintf(vs->sel_id, sizeof(vs->sel_id), "%s", views_s(x->traces[idx[vs->sel]].id));
		vs->drawn_sel = vs->sel;
		vs->detail = 1;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

const struct key_binding view_xray_keys[] = {
	{ '\r', "Enter", "drill in", xray_open },
	{ '\n', NULL, NULL, xray_open },
	{ KEY_ENTER, NULL, NULL, xray_open },
	{ 27, "Esc", "out", views_key_back },
	{ 0, NULL, NULL, NULL },
};
