/* sim_load.c — a load generator for bench/sim.sh: one query request, signed once with
 * the simulator's key, sent over and over on CONCURRENCY keep-alive connections
 * (libcurl multi) for SECONDS; prints the completed requests per second.
 * With SECONDS "burst", sends CONCURRENCY requests at once, each on its own
 * connection, and prints the milliseconds until the last answer.
 * usage: sim_load URL SERVICE REGION BODY SECONDS|burst CONCURRENCY */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "aws/sigv4.h"
#include "sim/sim.h"

/* Discard a response body. */
static size_t discard(char *data, size_t size, size_t nmemb, void *userp)
{
	(void)data; (void)userp;
	return size * nmemb;
}

/* Monotonic seconds. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sigv4_request req = { 0 };
	struct sigv4_params p = { .access_key = SIM_ACCESS_KEY, .secret_key = SIM_SECRET_KEY,
				  .normalize_path = true };
	struct curl_slist *hdrs = NULL;
	struct fd_error err;
	CURLM *multi;
	CURL **easy;
	char date[17], host[128], line[4096];
	const char *url, *body;
	double seconds, t0, elapsed;
	bool burst;
	long done = 0, bad = 0;
	int conc, i, running;
	time_t t = time(NULL);
	struct tm tm;
	size_t k;

	if (argc != 7) {
		fprintf(stderr, "usage: sim_load URL SERVICE REGION BODY SECONDS CONCURRENCY\n");
		return 2;
	}
	url = argv[1];
	p.service = argv[2];
	p.region = argv[3];
	body = argv[4];
	burst = strcmp(argv[5], "burst") == 0;
	seconds = burst ? 1e9 : atof(argv[5]);
	conc = atoi(argv[6]);
	if (conc < 1 || conc > 256 || seconds <= 0)
		return 2;
	strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", gmtime_r(&t, &tm));
	p.amz_date = date;
	snprintf(host, sizeof(host), "%s", strstr(url, "://") ? strstr(url, "://") + 3 : url);
	host[strcspn(host, "/")] = '\0';
	req.method = strdup("POST");
	req.target = strdup("/");
	req.body = (unsigned char *)strdup(body);
	req.body_len = strlen(body);
	sigv4_request_add_header(&req, "Host", host);
	sigv4_request_add_header(&req, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
	if (sigv4_sign(&req, &p, &err) < 0) {
		fprintf(stderr, "sim_load: %s\n", err.message);
		return 1;
	}
	for (k = 0; k < req.n_headers; k++) {
		if (strcasecmp(req.headers[k].name, "Host") == 0)
			continue;
		snprintf(line, sizeof(line), "%s: %s", req.headers[k].name, req.headers[k].value);
		hdrs = curl_slist_append(hdrs, line);
	}
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	multi = curl_multi_init();
	easy = calloc((size_t)conc, sizeof(*easy));
	for (i = 0; i < conc; i++) {
		easy[i] = curl_easy_init();
		curl_easy_setopt(easy[i], CURLOPT_URL, url);
		curl_easy_setopt(easy[i], CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(easy[i], CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(easy[i], CURLOPT_NOPROXY, "*");
		if (burst)   /* every request on its own connection, all at once */
			curl_easy_setopt(easy[i], CURLOPT_FRESH_CONNECT, 1L);
		curl_multi_add_handle(multi, easy[i]);
	}
	t0 = now_s();
	for (;;) {
		CURLMsg *m;
		int left;
		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left))) {
			long status = 0;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
			if (m->data.result == CURLE_OK && status == 200)
				done++;
			else
				bad++;
			curl_multi_remove_handle(multi, m->easy_handle);
			if (!burst && now_s() - t0 < seconds)
				curl_multi_add_handle(multi, m->easy_handle);
		}
		if (burst ? done + bad == conc : now_s() - t0 >= seconds) {
			curl_multi_perform(multi, &running);
			if (!running)
				break;
		}
		curl_multi_poll(multi, NULL, 0, 100, NULL);
	}
	elapsed = now_s() - t0;
	if (burst)
		printf("%.1f\n", elapsed * 1000.0);
	else
		printf("%.0f\n", (double)done / elapsed);
	if (bad)
		fprintf(stderr, "sim_load: %ld failed requests\n", bad);
	for (i = 0; i < conc; i++) {
		curl_multi_remove_handle(multi, easy[i]);
		curl_easy_cleanup(easy[i]);
	}
	free(easy);
	curl_multi_cleanup(multi);
	curl_slist_free_all(hdrs);
	sigv4_request_clean_up(&req);
	curl_global_cleanup();
	return bad ? 1 : 0;
}
