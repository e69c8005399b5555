/* creds_cache.c — the caching provider: botocore's advisory / mandatory refresh, off the caller's loop.
 *
 * See creds.h for the contract. A refresh that starts in the advisory window
 * (or a mandatory one asked for by creds_provider_get_async) runs inner->get on
 * a worker thread; the result is swapped in under a mutex by the next get, and
 * a byte on a pipe wakes the caller's poll loop. Only one refresh runs at a time.
 */
#include "aws/creds.h"
#include "aws/creds_providers.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"

#define ADVISORY_S (15 * 60)
#define MANDATORY_S (10 * 60)
#define RETRY_S 30
#define FAILED_HOLD_S 1   /* a failed mandatory refresh answers the calls that waited for it */

struct cache_provider {
	struct creds_provider base;
	struct creds_provider *inner;
	creds_clock_fn clock;
	void *clock_ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool have;               /* cached holds credentials */
	struct creds cached;
	bool running;            /* a background refresh runs */
	bool done;               /* it finished; result in fresh / fresh_ok */
	bool fresh_ok;
	struct creds fresh;
	time_t next_try;         /* no background refresh before this */
	pthread_t thread;
	bool joinable;
	bool may_prompt;         /* the running refresh is a mandatory one (it may ask for an MFA code) */
	bool failed;             /* the last mandatory refresh failed: failure says why */
	struct fd_error failure;
	time_t failed_at;
	int wake[2];             /* a byte on wake[1] when a refresh finishes; -1 when none */
};

/* Now, by the injected clock. */
static time_t now_s(struct cache_provider *c)
{
	return c->clock ? c->clock(c->clock_ctx) : time(NULL);
}

/* The refresh window of credentials at time now. */
static enum creds_refresh window(const struct cache_provider *c, time_t now)
{
	if (!c->have)
		return CREDS_REFRESH_MANDATORY;
	if (!c->cached.expiration)
		return CREDS_REFRESH_NONE;
	if (c->cached.expiration - now <= MANDATORY_S)
		return CREDS_REFRESH_MANDATORY;
	if (c->cached.expiration - now <= ADVISORY_S)
		return CREDS_REFRESH_ADVISORY;
	return CREDS_REFRESH_NONE;
}

/* Worker: run the inner provider, hand the result over, wake waiters. */
static void *refresh_thread(void *arg)
{
	struct cache_provider *c = arg;
	struct creds got;
	struct fd_error e;
	int r;

	bool may_prompt;

	pthread_mutex_lock(&c->mu);
	may_prompt = c->may_prompt;
	pthread_mutex_unlock(&c->mu);
	creds_prompt_set_background(!may_prompt);
	memset(&got, 0, sizeof(got));
	fd_error_clear(&e);
	r = creds_provider_get(c->inner, &got, &e);
	pthread_mutex_lock(&c->mu);
	c->fresh = got;
	c->fresh_ok = r == 0;
	if (r != 0) {
		creds_clean_up(&c->fresh);
		if (may_prompt) {
			c->failed = true;
			c->failure = e;
			c->failed_at = now_s(c);
		}
	}
	c->done = true;
	c->running = false;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	if (c->wake[1] >= 0) {
		ssize_t w;
		do
			w = write(c->wake[1], "", 1);
		while (w < 0 && errno == EINTR);   /* a full pipe already wakes the loop */
	}
	return NULL;
}

/* Take a finished background result into the cache (mutex held). */
static void take_result(struct cache_provider *c)
{
	if (!c->done)
		return;
	if (c->joinable) {
		pthread_join(c->thread, NULL);
		c->joinable = false;
	}
	if (c->fresh_ok) {
		creds_clean_up(&c->cached);
		c->cached = c->fresh;
		c->have = true;
		c->failed = false;
		memset(&c->fresh, 0, sizeof(c->fresh));
	}
	c->done = false;
	c->fresh_ok = false;
}

/* Start a refresh on the worker (mutex held); false when no thread could start. */
static bool start_refresh(struct cache_provider *c, bool may_prompt)
{
	c->running = true;
	c->may_prompt = may_prompt;
	if (pthread_create(&c->thread, NULL, refresh_thread, c) == 0) {
		c->joinable = true;
		return true;
	}
	c->running = false;
	return false;
}

/* Cached credentials, refreshed in the background (advisory) or now (mandatory). */
static int cache_get(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct cache_provider *c = (struct cache_provider *)p;
	time_t now = now_s(c);
	enum creds_refresh w;
	struct creds got;
	int r;

	pthread_mutex_lock(&c->mu);
	take_result(c);
	w = window(c, now);
	if (w == CREDS_REFRESH_ADVISORY && !c->running && now >= c->next_try) {
		c->next_try = now + RETRY_S;
		start_refresh(c, false);
	}
	if (w != CREDS_REFRESH_MANDATORY) {
		creds_copy(out, &c->cached);
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	while (c->running)
		pthread_cond_wait(&c->cv, &c->mu);
	take_result(c);
	if (window(c, now) != CREDS_REFRESH_MANDATORY) {
		creds_copy(out, &c->cached);
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	/* refresh in the caller (it may prompt); other gets wait on the mutex */
	memset(&got, 0, sizeof(got));
	r = creds_provider_get(c->inner, &got, err);
	if (r == 0) {
		creds_clean_up(&c->cached);
		c->cached = got;
		c->have = true;
		creds_copy(out, &c->cached);
	}
	pthread_mutex_unlock(&c->mu);
	return r;
}

/* Wait for a running refresh, wipe everything and free. */
static void cache_destroy(struct creds_provider *p)
{
	struct cache_provider *c = (struct cache_provider *)p;

	creds_provider_refresh_wait(p);
	pthread_mutex_lock(&c->mu);
	take_result(c);
	pthread_mutex_unlock(&c->mu);
	creds_clean_up(&c->cached);
	creds_clean_up(&c->fresh);
	creds_provider_destroy(c->inner);
	if (c->wake[0] >= 0) {
		close(c->wake[0]);
		close(c->wake[1]);
	}
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c);
}

static const struct creds_provider_vtable cache_vt = {
	.name = "cache", .get = cache_get, .destroy = cache_destroy,
};

struct creds_provider *creds_cache_new(struct creds_provider *inner, creds_clock_fn clock,
				       void *clock_ctx)
{
	struct cache_provider *c = xcalloc(1, sizeof(*c));

	c->base.vt = &cache_vt;
	c->inner = inner;
	c->clock = clock;
	c->clock_ctx = clock_ctx;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (pipe2(c->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		c->wake[0] = c->wake[1] = -1;   /* get_async then refreshes in the caller */
	return &c->base;
}

int creds_provider_get_async(struct creds_provider *p, struct creds *out, struct fd_error *err)
{
	struct cache_provider *c = (struct cache_provider *)p;
	time_t now;

	if (!p || p->vt != &cache_vt || c->wake[0] < 0)
		return creds_provider_get(p, out, err);
	now = now_s(c);
	pthread_mutex_lock(&c->mu);
	take_result(c);
	if (window(c, now) != CREDS_REFRESH_MANDATORY) {
		pthread_mutex_unlock(&c->mu);
		return creds_provider_get(p, out, err);   /* cached; an advisory refresh starts there */
	}
	if (c->failed && !c->running && now - c->failed_at < FAILED_HOLD_S) {
		/* every call waiting for that refresh fails with its reason */
		if (err)
			*err = c->failure;
		pthread_mutex_unlock(&c->mu);
		return -1;
	}
	if (!c->running && !start_refresh(c, true)) {
		pthread_mutex_unlock(&c->mu);
		return creds_provider_get(p, out, err);
	}
	pthread_mutex_unlock(&c->mu);
	return 1;
}

int creds_provider_wake_fd(struct creds_provider *p)
{
	struct cache_provider *c = (struct cache_provider *)p;

	return p && p->vt == &cache_vt ? c->wake[0] : -1;
}

void creds_provider_wake_drain(struct creds_provider *p)
{
	struct cache_provider *c = (struct cache_provider *)p;
	char buf[64];

	if (!p || p->vt != &cache_vt || c->wake[0] < 0)
		return;
	while (read(c->wake[0], buf, sizeof(buf)) > 0)
		;
}

enum creds_refresh creds_provider_needs_refresh(struct creds_provider *p)
{
	struct cache_provider *c = (struct cache_provider *)p;
	enum creds_refresh w;

	if (!p || p->vt != &cache_vt)
		return CREDS_REFRESH_NONE;
	pthread_mutex_lock(&c->mu);
	take_result(c);
	w = window(c, now_s(c));
	pthread_mutex_unlock(&c->mu);
	return w;
}

int creds_provider_invalidate(struct creds_provider *p, const char *access_key)
{
	struct cache_provider *c = (struct cache_provider *)p;
	int dropped = 0;

	if (!p || p->vt != &cache_vt || !access_key)
		return 0;
	pthread_mutex_lock(&c->mu);
	take_result(c);
	if (c->have && c->cached.access_key && strcmp(c->cached.access_key, access_key) == 0) {
		creds_clean_up(&c->cached);
		c->have = false;
		dropped = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return dropped;
}

void creds_provider_refresh_wait(struct creds_provider *p)
{
	struct cache_provider *c = (struct cache_provider *)p;

	if (!p || p->vt != &cache_vt)
		return;
	pthread_mutex_lock(&c->mu);
	while (c->running)
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
}
