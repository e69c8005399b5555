/* creds_http.c — the few HTTP requests credential providers make (IMDS, ECS, STS, SSO).
 *
 * Blocking libcurl easy requests with short timeouts; the caching provider runs
 * them off the caller's loop. Response bodies hold secrets: callers wipe them.
 */
#include "aws/creds_http.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "aws/region.h"
#include "aws/sigv4.h"
#include "base/xalloc.h"

/* libcurl write callback: append to the strbuf, up to 1 MiB. */
static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct strbuf *sb = ud;
	size_t n = size * nmemb;

	if (sb->len + n > (1u << 20))
		return 0;
	strbuf_add(sb, ptr, n);
	return n;
}

int creds_http_do(const struct creds_http_request *rq, long *status, struct strbuf *body,
		  struct fd_error *err)
{
	struct curl_slist *hl = NULL;
	CURL *h = curl_easy_init();
	CURLcode rc;
	size_t i;

	*status = 0;
	if (region_url_check(rq->url, err) < 0) {
		if (h)
			curl_easy_cleanup(h);
		return -1;
	}
	if (!h)
		return fd_error_set(err, "HttpError", "cannot start an HTTP request");
	for (i = 0; rq->headers && rq->headers[i]; i++)
		hl = curl_slist_append(hl, rq->headers[i]);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, rq->timeout_ms > 0 ? rq->timeout_ms : 10000L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 rq->connect_timeout_ms > 0 ? rq->connect_timeout_ms :
			 (rq->timeout_ms > 0 ? rq->timeout_ms : 3000L));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	if (rq->ca_bundle)
		curl_easy_setopt(h, CURLOPT_CAINFO, rq->ca_bundle);
	if (strcmp(rq->method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)(rq->body ? rq->body_len : 0));
	}
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		fd_error_set(err, rc == CURLE_OPERATION_TIMEDOUT ? "Timeout" : "HttpError",
			     "%s %s: %s", rq->method, rq->url, curl_easy_strerror(rc));
		if (err)
			err->transient = 1;
		return -1;
	}
	return 0;
}

/* ---- STS (query protocol, XML) ---- */

void creds_form_add(struct strbuf *form, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *v;

	if (form->len)
		strbuf_addc(form, '&');
	strbuf_adds(form, name);
	strbuf_addc(form, '=');
	for (v = (const unsigned char *)value; *v; v++) {
		if (isalnum(*v) || *v == '-' || *v == '_' || *v == '.' || *v == '~')
			strbuf_addc(form, (char)*v);
		else {
			strbuf_addc(form, '%');
			strbuf_addc(form, hex[*v >> 4]);
			strbuf_addc(form, hex[*v & 15]);
		}
	}
}

/* The text of the first element called name anywhere under n, or NULL. Caller frees (xmlFree). */
static xmlChar *find_text(xmlNode *n, const char *name)
{
	for (; n; n = n->next) {
		xmlChar *t;
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return xmlNodeGetContent(n);
		if ((t = find_text(n->children, name)))
			return t;
	}
	return NULL;
}

/* Zero the text of every secret element (SecretAccessKey, SessionToken) under n. */
static void wipe_secrets(xmlDoc *doc, xmlNode *n, int inside)
{
	for (; n; n = n->next) {
		int in = inside;
		if (n->type == XML_ELEMENT_NODE)
			in = strcmp((const char *)n->name, "SecretAccessKey") == 0 ||
			     strcmp((const char *)n->name, "SessionToken") == 0;
		if (n->type == XML_TEXT_NODE && inside && n->content &&
		    !(doc->dict && xmlDictOwns(doc->dict, n->content)))
			fd_wipe(n->content, strlen((const char *)n->content));
		wipe_secrets(doc, n->children, in);
	}
}

/* Split "scheme://host[:port]/path" into the Host header value and the path. */
static int url_parts(const char *url, char **host, char **path)
{
	const char *p = strstr(url, "://"), *slash;

	if (!p)
		return -1;
	p += 3;
	slash = strchr(p, '/');
	*host = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);
	*path = xstrdup(slash ? slash : "/");
	return 0;
}

int creds_sts_query(const struct creds_sts_target *t, const struct creds *signer,
		    const char *form, size_t nfields, const char *const *want, char **values,
		    struct fd_error *err)
{
	struct sigv4_request req;
	struct sigv4_params sp;
	struct creds_http_request rq;
	struct strbuf body;
	char *host = NULL, *path = NULL, amz_date[17], *hdrs[16];
	const char *hp[16];
	long status = 0;
	size_t i, nh = 0;
	xmlDoc *doc = NULL;
	int rc = -1;
	time_t now = time(NULL);
	struct tm tm;

	memset(&req, 0, sizeof(req));
	for (i = 0; i < nfields; i++)
		values[i] = NULL;
	if (!t->endpoint)   /* no endpoint could be built from the region */
		return region_check(t->region, "the STS region", err);
	if (url_parts(t->endpoint, &host, &path) < 0)
		return fd_error_set(err, "InvalidEndpoint", "STS endpoint '%s' is not a URL", t->endpoint);
	req.method = xstrdup("POST");
	req.target = xstrdup(path);
	req.body = (unsigned char *)xstrdup(form);
	req.body_len = strlen(form);
	sigv4_request_add_header(&req, "Host", host);
	sigv4_request_add_header(&req, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
	if (signer) {
		gmtime_r(&now, &tm);
		strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm);
		memset(&sp, 0, sizeof(sp));
		sp.access_key = signer->access_key;
		sp.secret_key = signer->secret_key;
		sp.session_token = signer->session_token;
		sp.region = t->region;
		sp.service = "sts";
		sp.amz_date = amz_date;
		sp.normalize_path = true;
		if (sigv4_sign(&req, &sp, err) < 0)
			goto out;
	}
	for (i = 0; i < req.n_headers && nh < 15; i++) {
		struct strbuf h;
		strbuf_init(&h);
		strbuf_addf(&h, "%s: %s", req.headers[i].name, req.headers[i].value);
		hdrs[nh] = strbuf_detach(&h, NULL);
		hp[nh] = hdrs[nh];
		nh++;
	}
	hp[nh] = NULL;
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = t->endpoint;
	rq.headers = hp;
	rq.body = form;
	rq.body_len = strlen(form);
	rq.timeout_ms = 10000;
	rq.connect_timeout_ms = 3000;
	rq.ca_bundle = t->ca_bundle;
	strbuf_init(&body);
	if (creds_http_do(&rq, &status, &body, err) == 0) {
		doc = xmlReadMemory(body.data, (int)body.len, "sts.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (!doc)
			fd_error_set(err, "ParseError", "STS answered HTTP %ld with a body that is not XML", status);
		else if (status != 200) {
			xmlNode *root = xmlDocGetRootElement(doc);
			xmlChar *code = find_text(root, "Code"), *msg = find_text(root, "Message");
			xmlChar *rid = find_text(root, "RequestId");
			fd_error_set(err, code ? (const char *)code : "HttpError", "%s",
				     msg ? (const char *)msg : "STS call failed");
			if (err) {
				err->http_status = (int)status;
				err->transient = status >= 500 || status == 429;
				if (rid)
					fd_error_set_request_id(err, (const char *)rid);
			}
			xmlFree(code);
			xmlFree(msg);
			xmlFree(rid);
		} else {
			xmlNode *root = xmlDocGetRootElement(doc);
			rc = 0;
			for (i = 0; i < nfields; i++) {
				xmlChar *v = find_text(root, want[i]);
				if (v) {
					values[i] = xstrdup((const char *)v);
					fd_wipe(v, strlen((const char *)v));
					xmlFree(v);
				}
			}
		}
	}
	if (doc) {
		wipe_secrets(doc, xmlDocGetRootElement(doc), 0);
		xmlFreeDoc(doc);
	}
	strbuf_wipe_clean_up(&body);
	for (i = 0; i < nh; i++)
		fd_free_secret(hdrs[i]);
out:
	free(host);
	free(path);
	if (req.body)
		fd_wipe(req.body, req.body_len);
	sigv4_request_clean_up(&req);
	return rc;
}

char *creds_sts_endpoint(struct awsconf *conf, const char *region)
{
	char *url = conf ? awsconf_endpoint_url(conf, "STS", NULL) : NULL;

	return url ? url : region_sts_endpoint(region, awsconf_sts_legacy(conf), NULL, NULL);   /* NULL: not a region */
}

int creds_sts_target_init(struct creds_sts_target *t, struct awsconf *conf, const char *region,
			  const char *endpoint)
{
	struct fd_error e;
	char *r = NULL;

	memset(t, 0, sizeof(*t));
	if (region && region[0])
		r = xstrdup(region);
	else if (conf)
		r = awsconf_region(conf, NULL, &e);
	t->region = r ? r : xstrdup("us-east-1");
	if (endpoint && endpoint[0])
		t->endpoint = xstrdup(endpoint);
	else if (!conf || !(t->endpoint = awsconf_endpoint_url(conf, "STS", NULL))) {
		bool global = false;
		t->endpoint = region_sts_endpoint(r, awsconf_sts_legacy(conf), &global, NULL);
		if (global && strcmp(t->region, "us-east-1") != 0) {
			free(t->region);   /* the global endpoint signs for us-east-1 */
			t->region = xstrdup("us-east-1");
		}
	}
	t->ca_bundle = conf ? awsconf_ca_bundle(conf) : NULL;
	return 0;
}

void creds_sts_target_clean_up(struct creds_sts_target *t)
{
	free(t->region);
	free(t->endpoint);
	memset(t, 0, sizeof(*t));
}

int creds_from_json(const char *text, size_t len, const char *token_key, const char *source,
		    struct creds *out, struct fd_error *err)
{
	json_error_t je;
	json_t *o = json_loadb(text, len, 0, &je);
	const char *ak, *sk, *tok, *exp;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!o || !json_is_object(o)) {
		fd_error_set(err, "ParseError", "the %s credentials are not a JSON object", source);
		goto out;
	}
	ak = json_string_value(json_object_get(o, "AccessKeyId"));
	sk = json_string_value(json_object_get(o, "SecretAccessKey"));
	tok = json_string_value(json_object_get(o, token_key));
	exp = json_string_value(json_object_get(o, "Expiration"));
	if (!ak || !ak[0] || !sk || !sk[0]) {
		fd_error_set(err, "ParseError", "the %s credentials lack %s", source,
			     !ak || !ak[0] ? "AccessKeyId" : "SecretAccessKey");
		goto out;
	}
	if (exp && creds_parse_time(exp, &out->expiration) < 0) {
		fd_error_set(err, "ParseError", "the %s credentials' Expiration '%s' is not an ISO 8601 time",
			     source, exp);
		goto out;
	}
	out->access_key = xstrdup(ak);
	out->secret_key = xstrdup(sk);
	out->session_token = tok && tok[0] ? xstrdup(tok) : NULL;
	out->source = source;
	rc = 0;
out:
	if (o) {
		const char *k;
		json_t *v;
		json_object_foreach(o, k, v)
			if (json_is_string(v))
				fd_wipe((char *)json_string_value(v), json_string_length(v));
		json_decref(o);
	}
	return rc;
}
