/* miniworld.h — a hand-built two-region petclinic world for unit tests of the
 * sim services (no scenario loader needed). Static storage; one per test. */
#ifndef FD_TESTS_SIM_MINIWORLD_H
#define FD_TESTS_SIM_MINIWORLD_H

#include "sim/world.h"

#include <stdio.h>
#include <string.h>

static struct sim_region mw_regions[2];
static struct sim_load_balancer mw_lbs[2];
static struct sim_listener mw_listeners[2];
static struct sim_rule mw_rules[2];
static struct sim_target_group mw_tgs[2][2];
static struct sim_target mw_targets[2][2][2];
static struct sim_asg mw_asgs[2][2];
static struct sim_instance mw_instances[2][2][2];
static struct sim_db mw_dbs[2];
static struct sim_world mw_world;

/* Build the world: regions ap-northeast-2 (primary) and ap-northeast-1, each
 * with an ALB forwarding 100% to petclinic-tg-blue (2 healthy targets) and 0%
 * to petclinic-tg-green (2 healthy targets), two ASGs of 2 instances, and the
 * database petclinic-db (primary in Seoul, replica in Tokyo). */
static struct sim_world *miniworld(double now_s)
{
	static const char *const names[2] = { "ap-northeast-2", "ap-northeast-1" };
	static const char *const colors[2] = { "blue", "green" };

	memset(&mw_world, 0, sizeof(mw_world));
	mw_world.seed = 42;
	mw_world.now_s = mw_world.start_s = now_s;
	snprintf(mw_world.account, sizeof(mw_world.account), "123456789012");
	mw_world.regions = mw_regions;
	mw_world.n_regions = 2;
	for (int r = 0; r < 2; r++) {
		struct sim_region *rg = &mw_regions[r];
		memset(rg, 0, sizeof(*rg));
		snprintf(rg->name, sizeof(rg->name), "%s", names[r]);
		rg->up = true;
		rg->primary = r == 0;
		rg->lbs = &mw_lbs[r];
		rg->n_lbs = 1;
		memset(&mw_lbs[r], 0, sizeof(mw_lbs[r]));
		snprintf(mw_lbs[r].name, SIM_NAME_MAX, "petclinic-alb");
		snprintf(mw_lbs[r].arn, SIM_ARN_MAX,
			 "arn:aws:elasticloadbalancing:%s:123456789012:loadbalancer/app/petclinic-alb/%d0dc6c495c0c9188",
			 names[r], r);
		mw_lbs[r].listeners = &mw_listeners[r];
		mw_lbs[r].n_listeners = 1;
		memset(&mw_listeners[r], 0, sizeof(mw_listeners[r]));
		mw_listeners[r].rules = &mw_rules[r];
		mw_listeners[r].n_rules = 1;
		memset(&mw_rules[r], 0, sizeof(mw_rules[r]));
		mw_rules[r].is_default = true;
		mw_rules[r].n_fwd = 2;
		rg->tgs = mw_tgs[r];
		rg->n_tgs = 2;
		rg->asgs = mw_asgs[r];
		rg->n_asgs = 2;
		for (int c = 0; c < 2; c++) {
			struct sim_target_group *tg = &mw_tgs[r][c];
			struct sim_asg *g = &mw_asgs[r][c];
			memset(tg, 0, sizeof(*tg));
			snprintf(tg->name, SIM_NAME_MAX, "petclinic-tg-%s", colors[c]);
			snprintf(tg->arn, SIM_ARN_MAX,
				 "arn:aws:elasticloadbalancing:%s:123456789012:targetgroup/petclinic-tg-%s/%d%d3a9b1c2d4e5f6a",
				 names[r], colors[c], r, c);
			tg->region = r;
			tg->error_rate = 0.001;
			tg->targets = mw_targets[r][c];
			tg->n_targets = 2;
			for (int i = 0; i < 2; i++) {
				memset(&tg->targets[i], 0, sizeof(tg->targets[i]));
				snprintf(tg->targets[i].id, 32, "i-%d%d%d", r, c, i);
				tg->targets[i].state = SIM_TH_HEALTHY;
			}
			snprintf(mw_rules[r].fwd[c].tg_arn, SIM_ARN_MAX, "%s", tg->arn);
			mw_rules[r].fwd[c].weight = c == 0 ? 1 : 0;
			memset(g, 0, sizeof(*g));
			snprintf(g->name, SIM_NAME_MAX, "petclinic-asg-was-%s", colors[c]);
			snprintf(g->tg, SIM_NAME_MAX, "petclinic-tg-%s", colors[c]);
			g->desired = 2;
			g->instances = mw_instances[r][c];
			g->n_instances = 2;
			for (int i = 0; i < 2; i++) {
				memset(&g->instances[i], 0, sizeof(g->instances[i]));
				g->instances[i].lifecycle = SIM_LC_INSERVICE;
			}
		}
		rg->dbs = &mw_dbs[r];
		rg->n_dbs = 1;
		memset(&mw_dbs[r], 0, sizeof(mw_dbs[r]));
		snprintf(mw_dbs[r].id, SIM_NAME_MAX, "%s", r == 0 ? "petclinic-db" : "petclinic-db-replica");
		mw_dbs[r].role = r == 0 ? SIM_DB_PRIMARY : SIM_DB_REPLICA;
		mw_dbs[r].region = r;
	}
	return &mw_world;
}

#endif
