/* cmd_sim.c — `flightdeck sim`: serve the simulated AWS; `sim fault|clear|requests|state`
 * talk to a running one. */
#include "src/cli.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "sim/fault.h"
#include "sim/sim.h"
#include "sim/world.h"

/* libcurl write callback into a strbuf. */
static size_t collect(char *data, size_t size, size_t nmemb, void *userp)
{
	strbuf_add(userp, data, size * nmemb);
	return size * nmemb;
}

/* POST (body != NULL) or GET endpoint+path; print the answer; 0 on 2xx. */
static int control(const char *endpoint, const char *path, const char *body)
{
	CURL *c = curl_easy_init();
	struct strbuf url, out;
	long status = 0;
	CURLcode rc;

	if (!c)
		return 1;
	strbuf_init(&url);
	strbuf_init(&out);
	strbuf_adds(&url, endpoint);
	while (url.len && url.data[url.len - 1] == '/')
		url.data[--url.len] = '\0';
	strbuf_adds(&url, path);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK)
		fprintf(stderr, "flightdeck sim: %s: %s\n", url.data, curl_easy_strerror(rc));
	else if (status / 100 != 2)
		fprintf(stderr, "flightdeck sim: %s\n", out.data);
	else
		printf("%s\n", out.data);
	curl_easy_cleanup(c);
	strbuf_clean_up(&url);
	strbuf_clean_up(&out);
	return rc == CURLE_OK && status / 100 == 2 ? 0 : 1;
}

/* `sim fault|clear|requests|state --endpoint URL [SPEC]`. */
static int client_main(int argc, char **argv, struct fd_globals *g)
{
	static const struct {
		const char *name;
		const char *path;
		bool post;
		bool spec;
	} cmds[] = {
		{ "fault", "/_sim/fault", true, true },
		{ "clear", "/_sim/clear", true, false },
		{ "requests", "/_sim/requests", false, false },
		{ "state", "/_sim/state", false, false },
	};
	const char *endpoint = g->endpoint_url, *spec = NULL;

	if (!endpoint || !*endpoint)   /* as every other command: AWS_ENDPOINT_URL when not given */
		endpoint = getenv("AWS_ENDPOINT_URL");
	size_t k;
	int i;

	for (k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
		if (strcmp(argv[1], cmds[k].name) == 0)
			break;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--endpoint") == 0 && i + 1 < argc)
			endpoint = argv[++i];
		else if (strncmp(argv[i], "--endpoint=", 11) == 0)
			endpoint = argv[i] + 11;
		else if (cmds[k].spec && !spec && argv[i][0] != '-')
			spec = argv[i];
		else {
			fprintf(stderr, "flightdeck sim %s: unexpected '%s'\n", cmds[k].name, argv[i]);
			return 2;
		}
	}
	if (!endpoint || !*endpoint || (cmds[k].spec && !spec)) {
		fprintf(stderr, "usage: flightdeck sim %s [--endpoint URL]%s  (default: $AWS_ENDPOINT_URL)\n",
			cmds[k].name, cmds[k].spec ? " SPEC" : "");
		return 2;
	}
	return control(endpoint, cmds[k].path, cmds[k].post ? (spec ? spec : "") : NULL);
}

/* Is argv[1] one of the client subcommands? */
static bool is_client(int argc, char **argv)
{
	return argc > 1 && (strcmp(argv[1], "fault") == 0 || strcmp(argv[1], "clear") == 0 ||
			    strcmp(argv[1], "requests") == 0 || strcmp(argv[1], "state") == 0);
}

int cmd_sim_main(int argc, char **argv, struct fd_globals *g)
{
	struct sim_options opt = { 0 };
	const char **faults = xcalloc((size_t)argc + 1, sizeof(*faults));
	struct fd_error err;
	struct sim *s;
	bool print_scenario = false;
	struct strbuf usage;
	sigset_t set;
	char *end;
	int i, sig;

	if (is_client(argc, argv)) {
		free(faults);
		return client_main(argc, argv, g);
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int r = cli_take_global(g, argc, argv, &i);
		if (r < 0) {
			free(faults);
			return 2;
		}
		if (r > 0) {
			i--;
			continue;
		}
		if (strcmp(a, "--print-scenario") == 0) {
			print_scenario = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf("usage: flightdeck sim [--listen ADDR:PORT] [--scenario petclinic|scale|FILE] "
			       "[--seed N] [--time-scale X] [--fault SPEC ...]\n"
			       "       --time-scale X: AWS's durations run X times faster (default %g; 1: AWS's timing)\n"
			       "       flightdeck sim --print-scenario [--scenario petclinic|scale]   "
			       "(a starting point for your own)\n"
			       "       flightdeck sim fault [--endpoint URL] SPEC   (default: $AWS_ENDPOINT_URL)\n"
			       "       flightdeck sim clear|requests|state [--endpoint URL]\n",
			       SIM_TIME_SCALE_DEFAULT);
			strbuf_init(&usage);
			sim_fault_usage(&usage);
			printf("SPEC: %s\n", usage.data);
			strbuf_clean_up(&usage);
			free(faults);
			return 0;
		}
		if (!val || (strcmp(a, "--listen") && strcmp(a, "--scenario") && strcmp(a, "--seed") &&
			     strcmp(a, "--fault") && strcmp(a, "--time-scale"))) {
			fprintf(stderr, "flightdeck sim: %s '%s' (see flightdeck sim --help)\n",
				val ? "unknown option" : "missing value for", a);
			free(faults);
			return 2;
		}
		if (strcmp(a, "--listen") == 0)
			opt.listen = val;
		else if (strcmp(a, "--scenario") == 0)
			opt.scenario = val;
		else if (strcmp(a, "--fault") == 0)
			faults[opt.n_faults++] = val;
		else if (strcmp(a, "--time-scale") == 0) {
			opt.time_scale = strtod(val, &end);
			if (!*val || *end || !(opt.time_scale > 0 && opt.time_scale <= 1000)) {
				fprintf(stderr, "flightdeck sim: --time-scale '%s' must be a number above 0, at most 1000\n", val);
				free(faults);
				return 2;
			}
		} else {
			opt.seed = strtoull(val, &end, 10);
			if (!*val || *end) {
				fprintf(stderr, "flightdeck sim: --seed '%s' is not a number\n", val);
				free(faults);
				return 2;
			}
		}
		i++;
	}
	opt.faults = faults;
	if (print_scenario) {
		const char *text = sim_scenario_builtin(opt.scenario);
		free(faults);
		if (!text) {
			fprintf(stderr, "flightdeck sim: --print-scenario: built-in scenarios are petclinic and scale\n");
			return 2;
		}
		fputs(text, stdout);
		return 0;
	}
	fd_error_clear(&err);
	s = sim_new(&opt, &err);
	free(faults);
	if (!s) {
		fprintf(stderr, "flightdeck sim: %s\n", err.message);
		return 2;
	}
	/* block the signals before libmicrohttpd's threads start, then wait for one */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (sim_start(s, &err) < 0) {
		fprintf(stderr, "flightdeck sim: %s\n", err.message);
		sim_destroy(s);
		return 1;
	}
	printf("flightdeck sim: listening on http://%s:%d AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s\n",
	       sim_addr(s), sim_port(s), SIM_ACCESS_KEY, SIM_SECRET_KEY);
	fflush(stdout);
	sigwait(&set, &sig);
	sim_destroy(s);
	return 0;
}
