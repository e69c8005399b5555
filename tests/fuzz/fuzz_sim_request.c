/* fuzz_sim_request.c — the simulator's request handling without the network: raw HTTP
 * parsing, and signed requests whose body (form parameters) and target are fuzzed so
 * that routing, form parsing and every service's parameter handling are reached.
 * Input: byte 0 odd -> the rest is a raw HTTP request; even -> byte 1 picks the
 * service, then "TARGET\nBODY" is signed with the simulator's key and handled. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/sigv4.h"
#include "base/strbuf.h"
#include "sim/service.h"
#include "sim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The simulator shared by every input (its log bounded). */
static struct sim *the_sim(void)
{
	static struct sim *s;
	struct sim_options opt = { .scenario = "petclinic", .seed = 1, .log_max = 1000 };
	struct fd_error err;

	if (!s)
		s = sim_new(&opt, &err);
	return s;
}

/* Handle a signed request for service with the given target and body. */
static void signed_request(struct sim *s, const char *service, const char *target,
			   const unsigned char *body, size_t body_len)
{
	struct sigv4_request req = { 0 };
	struct sigv4_params p = {
		.access_key = SIM_ACCESS_KEY, .secret_key = SIM_SECRET_KEY,
		.region = "ap-northeast-2", .service = service, .normalize_path = true,
	};
	struct fd_error err;
	struct strbuf sb;
	char date[17], *out = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", gmtime_r(&now, &tm));
	p.amz_date = date;
	req.method = strdup("POST");
	req.target = strdup(target);
	req.body = malloc(body_len + 1);
	memcpy(req.body, body, body_len);
	req.body_len = body_len;
	sigv4_request_add_header(&req, "Host", "127.0.0.1");
	sigv4_request_add_header(&req, "Content-Type", "application/x-www-form-urlencoded");
	sigv4_request_add_header(&req, "X-Amz-Target", "ToggleCustomerAPI.GetRoutingControlState");
	if (sigv4_sign(&req, &p, &err) == 0) {
		strbuf_init(&sb);
		strbuf_addf(&sb, "POST %s HTTP/1.1\r\n", target);
		for (i = 0; i < req.n_headers; i++)
			strbuf_addf(&sb, "%s: %s\r\n", req.headers[i].name, req.headers[i].value);
		strbuf_adds(&sb, "\r\n");
		strbuf_add(&sb, body, body_len);
		sim_handle_raw(s, sb.data, sb.len, &out);
		free(out);
		strbuf_clean_up(&sb);
	}
	sigv4_request_clean_up(&req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim *s = the_sim();
	size_t n_services = 0, i;
	char target[256] = "/";
	const uint8_t *nl;
	char *out = NULL;
	unsigned svc;

	if (!s || size < 2)
		return 0;
	svc = data[1];
	if (data[0] & 1) {
		sim_handle_raw(s, (const char *)data + 1, size - 1, &out);
		free(out);
		sim_clear_faults(s);   /* no latency fault may slow the next input */
		return 0;
	}
	while (sim_services[n_services].signing_name)
		n_services++;
	data += 2;
	size -= 2;
	nl = memchr(data, '\n', size < sizeof(target) ? size : sizeof(target));
	if (nl && nl > data && data[0] == '/') {
		size_t n = (size_t)(nl - data);
		for (i = 0; i < n; i++)
			if (data[i] <= ' ' || data[i] >= 0x7f)
				break;
		if (i == n) {
			memcpy(target, data, n);
			target[n] = '\0';
			size -= n + 1;
			data = nl + 1;
		}
	}
	signed_request(s, sim_services[svc % n_services].signing_name, target, data, size);
	return 0;
}
