/* panel_metrics_impl.h — what the metrics panel's files share (model/panel_metrics*.c
 * only): its call kinds and its staging area. */
#ifndef FD_PANEL_METRICS_IMPL_H
#define FD_PANEL_METRICS_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"
#include "model/panel.h"
#include "model/panel_metrics.h"

/* The calls of a refresh (rows of metrics_calls[] in panel_metrics.c). */
enum { K_FIGURES, K_LB_CHART, K_CPU, K_CHART, K_TARGET, K_ALARM, K_COUNT };

/* What a figure query measures. */
enum mq_field { MQ_LB_REQ, MQ_LB_ELB5XX, MQ_LB_TGT5XX, MQ_LB_P99, MQ_TG_REQ, MQ_TG_5XX, MQ_TG_P99,
		MQ_DB_READ, MQ_DB_LAG };

/* One figure query: its id in the request and what it measures. */
struct mq {
	char id[16];
	enum mq_field field;
	char *key;              /* LB/TG ARN or DB id */
};

/* One built-in chart call's results (per load balancer). */
struct lb_chart {
	struct panel_metrics_result *res;
	size_t n;
	bool ok;
};

/* What a refresh stages before the swap. */
struct metrics_stage {
	struct mq *mq;
	size_t n_mq;
	struct panel_metrics_result *res;   /* the figure queries' results */
	size_t n_res;
	bool have_figures;
	struct lb_chart *lbc;               /* per load balancer */
	size_t n_lbc;
	char *lb_chart_error;               /* why a built-in chart call failed */
	struct panel_metrics_result *cpu;   /* ASG CPU for the forecasts */
	size_t n_cpu;
	bool have_cpu;
	char stat[32];                      /* the built-in charts' statistic as asked ("" : Sum / p99), a copy: the view may change it mid-flight */
	int period_s, range_s;              /* the built-in charts' */
	struct model_chart *charts;         /* [0..2] built-in, then the config's */
	size_t n_charts;
	unsigned char *chart_ok;
	struct model_alarm_chart alarm;     /* the opened alarm's metric */
	bool alarm_asked;
	time_t end;                         /* the figures' window ends here (a minute boundary) */
};

/* Queue a refresh's calls (the panel's start). */
void panel_metrics_query_start(struct panel_job *j);

/* The figures into the LB, TG and DB data of the job's region. */
void panel_metrics_figures_apply(struct panel_job *j);
/* The groups' CPU into their forecasts' actual series. */
void panel_metrics_figures_apply_cpu(struct panel_job *j);
/* The three built-in charts (staged) from the per-LB chart calls. */
void panel_metrics_figures_charts(struct panel_job *j);

#endif
