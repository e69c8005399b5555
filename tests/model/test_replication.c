/* test_replication.c — DB roles and replication state: -1 and a stopped
 * replication are broken (never 0 s behind), missing data is unknown, a promoted
 * replica is a writer without a replica; the overview figure and the verdict.
 * ReplicaLag -1: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.Monitor.html
 * StatusInfos: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceStatusInfo.html */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/model.h"
#include "model/replication.h"
#include "model/verdict.h"
#include "tests/model/says.h"
#include "tests/tap.h"

/* A replica of src with a StatusInfos status (NULL: none) and a lag. */
static void replica(struct model_db *d, const char *id, const char *src, const char *status, bool normal, double lag)
{
	memset(d, 0, sizeof(*d));
	d->id = xstrdup(id);
	d->source_id = xstrdup(src);
	d->is_replica = true;
	d->repl_status = status ? xstrdup(status) : NULL;
	d->repl_normal = normal;
	d->replica_lag_s = lag;
	d->read_latency_ms = NAN;
}

static void writer(struct model_db *d, const char *id, size_t n_replicas)
{
	memset(d, 0, sizeof(*d));
	d->id = xstrdup(id);
	d->n_replicas = n_replicas;
	d->replica_lag_s = d->read_latency_ms = NAN;
}

int main(void)
{
	struct model_db d;
	struct replication rp;
	struct model m;
	char buf[96];
	const char *arn = "arn:aws:rds:ap-northeast-2:123456789012:db:petclinic-db";

	replica(&d, "r", arn, "replicating", true, 0.6);
	replication_of_db(&d, 2, &rp);
	ok(rp.role == REPLICATION_REPLICA && rp.state == REPLICATION_OK && rp.sev == MODEL_SEV_OK, "replicating, 0.6 s: ok");
	is_str(rp.text, "replica of petclinic-db@ap-northeast-2, 0.6 s behind", "its source across regions, its lag");
	is_str(rp.brief, "replica, 0.6 s behind", "brief");
	free(d.id); free(d.source_id); free(d.repl_status);

	replica(&d, "r", arn, "replicating", true, -1);
	replication_of_db(&d, 2, &rp);
	ok(rp.state == REPLICATION_BROKEN && rp.sev == MODEL_SEV_BAD, "ReplicaLag -1 is broken, not 0");
	is_str(rp.brief, "NOT REPLICATING (lag -1)", "in words");
	free(d.id); free(d.source_id); free(d.repl_status);

	replica(&d, "r", arn, "error", false, 0.5);
	replication_of_db(&d, 2, &rp);
	ok(rp.state == REPLICATION_BROKEN && rp.sev == MODEL_SEV_BAD, "StatusInfos error is broken whatever the lag");
	is_str(rp.brief, "NOT REPLICATING (error)", "with its status");
	free(d.id); free(d.source_id); free(d.repl_status);

	replica(&d, "r", arn, "replicating", false, 0.5);
	replication_of_db(&d, 2, &rp);
	ok(rp.state == REPLICATION_BROKEN, "Normal false is broken");
	free(d.id); free(d.source_id); free(d.repl_status);

	replica(&d, "r", "petclinic-db", "replicating", true, NAN);
	replication_of_db(&d, 2, &rp);
	ok(rp.state == REPLICATION_UNKNOWN && rp.sev == MODEL_SEV_UNKNOWN, "no lag datapoint: unknown, not 0");
	is_str(rp.text, "replica of petclinic-db, lag unknown", "same-region source by id");
	free(d.id); free(d.source_id); free(d.repl_status);

	replica(&d, "r", arn, NULL, false, 0.2);
	replication_of_db(&d, 2, &rp);
	ok(rp.state == REPLICATION_UNKNOWN, "no StatusInfos: unknown");
	free(d.id); free(d.source_id); free(d.repl_status);

	replica(&d, "r", arn, "replicating", true, 45);
	replication_of_db(&d, 2, &rp);
	ok(rp.state == REPLICATION_LAGGING && rp.sev == MODEL_SEV_WARN, "45 s behind: lagging");
	free(d.id); free(d.source_id); free(d.repl_status);
	replica(&d, "r", arn, "replicating", true, 900);
	replication_of_db(&d, 2, &rp);
	ok(rp.state == REPLICATION_LAGGING && rp.sev == MODEL_SEV_BAD, "900 s behind: bad");
	free(d.id); free(d.source_id); free(d.repl_status);

	writer(&d, "w", 1);
	replication_of_db(&d, 2, &rp);
	ok(rp.role == REPLICATION_WRITER && rp.sev == MODEL_SEV_OK, "a writer with a replica");
	is_str(rp.brief, "writer, 1 replica", "brief");
	free(d.id);
	writer(&d, "w", 0);
	replication_of_db(&d, 2, &rp);
	ok(rp.role == REPLICATION_STANDALONE && rp.sev == MODEL_SEV_WARN, "after a promotion: a writer with no DR copy");
	replication_of_db(&d, 1, &rp);
	ok(rp.sev == MODEL_SEV_OK, "one region: no replica is how it is");
	free(d.id);

	is_str(replication_source_text("arn:aws:rds:ap-northeast-1:1:db:x", buf, sizeof(buf)), "x@ap-northeast-1", "ARN shortened");
	is_str(replication_source_text("arn:bogus", buf, sizeof(buf)), "arn:bogus", "an odd ARN as it is");
	is_str(replication_source_text(NULL, buf, sizeof(buf)), "?", "none");

	/* the region figure, the overview severity and the verdict */
	model_init(&m, "ap-northeast-2", "ap-northeast-1");
	replication_of_region(&m, 1, &rp);
	ok(rp.sev == MODEL_SEV_UNKNOWN && strcmp(rp.brief, "-") == 0, "before the rds panel: unknown");
	m.regions[0].status[MODEL_PANEL_RDS].fetched_at = m.regions[1].status[MODEL_PANEL_RDS].fetched_at = 100;
	m.regions[0].dbs = xcalloc(1, sizeof(struct model_db));
	m.regions[0].n_dbs = 1;
	writer(&m.regions[0].dbs[0], "petclinic-db", 1);
	m.regions[1].dbs = xcalloc(1, sizeof(struct model_db));
	m.regions[1].n_dbs = 1;
	replica(&m.regions[1].dbs[0], "petclinic-db", arn, "replicating", true, -1);
	model_summarize(&m);
	is_int(m.regions[1].summary.sev[MODEL_FIG_REPL], MODEL_SEV_BAD, "DR figure: bad");
	is_int(m.regions[0].summary.sev[MODEL_FIG_REPL], MODEL_SEV_OK, "primary figure: its writer");
	ok(says(&m, 0, "DR DB NOT REPLICATING"), "the verdict says the DR database is not replicating");
	/* promoted: the DR instance is a writer, the primary's lost its replica */
	free(m.regions[1].dbs[0].source_id);
	free(m.regions[1].dbs[0].repl_status);
	m.regions[1].dbs[0].source_id = m.regions[1].dbs[0].repl_status = NULL;
	m.regions[1].dbs[0].is_replica = false;
	m.regions[0].dbs[0].n_replicas = 0;
	model_summarize(&m);
	replication_of_region(&m, 1, &rp);
	is_str(rp.brief, "writer, NO REPLICA", "after the promotion the DR instance is a writer");
	ok(says(&m, 0, "DR DB HAS NO REPLICA") && says(&m, 0, "PRIMARY DB HAS NO REPLICA"), "and the verdict says so for both");
	ok(!says(&m, 0, "DR DB NOT REPLICATING"), "no longer 'not replicating'");
	model_clean_up(&m);
	return done_testing();
}
