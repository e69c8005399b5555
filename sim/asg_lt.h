/* asg_lt.h — launch template versions in the world (sim/asg_lt.c): which version a
 * group is set to, which one each instance runs, versions released by the
 * new-version fault (a bad one answers 5xx), and instance refreshes moving. */
#ifndef FD_SIM_ASG_LT_H
#define FD_SIM_ASG_LT_H

#include <stdbool.h>

#include "sim/world.h"

/* The versions that exist of g's own template, its $Default, the version an instance runs. */
int asg_lt_count(const struct sim_asg *g);
int asg_lt_default(const struct sim_asg *g);
int asg_lt_instance_version(const struct sim_instance *in);
/* The version g is set to as AWS shows it ("$Latest", "$Default" or "3"). */
const char *asg_lt_spec(const struct sim_asg *g);
/* The id of the template g owns (lt-0...). */
void asg_lt_id(const struct sim_asg *g, char out[40]);
/* The group of region r owning the template with this name or id; NULL when none. */
struct sim_asg *asg_lt_owner(const struct sim_world *w, int r, const char *name, const char *id);
/* The version number spec names for the template g owns ($Latest, $Default or a
 * number); 0 when it does not exist. */
int asg_lt_version_of(const struct sim_asg *owner, const char *spec);
/* The version new instances of g are launched from. */
int asg_lt_resolve(const struct sim_world *w, const struct sim_asg *g);
/* The 5xx rate of the target id of tg: its group's error rate, or its launch
 * template version's when that is a bad one and higher. */
double asg_lt_target_error_rate(const struct sim_world *w, const struct sim_target_group *tg, const char *id);
/* tg's 5xx rate over its healthy targets (its own rate when it has none). */
double asg_lt_tg_error_rate(const struct sim_world *w, const struct sim_target_group *tg);
/* Release version N+1 of a template (now $Latest) answering 5xx at rate; -1 when
 * the template does not exist or has SIM_LT_VERSIONS_MAX versions. */
int asg_lt_release(struct sim_world *w, const char *template_name, double rate);
/* Every released version's 5xx rate back to 0 (sim_fault_clear). */
void asg_lt_clear(struct sim_world *w);
/* Move g's instance refresh in progress: one replacement at a time. */
void asg_lt_tick(struct sim_world *w, struct sim_asg *g, double now_s);

#endif
