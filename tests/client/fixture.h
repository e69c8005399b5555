/* fixture.h — a tiny HTTP server for client tests (libmicrohttpd, own threads).
 *
 * Answers each request with the next queued response (or the default one),
 * after an optional delay, and records what it received.
 */
#ifndef FD_TEST_FIXTURE_H
#define FD_TEST_FIXTURE_H

struct fixture;

/* Start on 127.0.0.1 with a kernel-chosen port; NULL on failure. */
struct fixture *fixture_start(void);
void fixture_stop(struct fixture *f);
/* "http://127.0.0.1:PORT". Borrowed. */
const char *fixture_url(struct fixture *f);
/* Queue a response: headers are "Name: value" lines separated by '\n' (or NULL). */
void fixture_push(struct fixture *f, int status, const char *headers, const char *body,
		  int delay_ms);
/* The response used when the queue is empty. */
void fixture_set_default(struct fixture *f, int status, const char *headers, const char *body,
			 int delay_ms);
/* Requests received so far. */
int fixture_count(struct fixture *f);
/* Request n (0-based) as "METHOD URL\nName: value\n...\n\nBODY"; caller frees; NULL if none. */
char *fixture_request(struct fixture *f, int n);
/* Most connections open at once (concurrency proof). */
int fixture_max_concurrent(struct fixture *f);
/* Distinct client connections seen (keep-alive proof). */
int fixture_connections(struct fixture *f);

#endif
