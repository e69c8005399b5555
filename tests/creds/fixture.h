/* fixture.h — a fake IMDS, ECS agent, STS and SSO portal on loopback (libmicrohttpd),
 * for the credential tests until the simulator serves them.
 *
 * Paths: PUT /latest/api/token, GET /latest/meta-data/iam/security-credentials/[ROLE],
 * GET /ecs/creds (and /v2/credentials/x, the RELATIVE_URI form), POST / (STS:
 * AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity), GET
 * /federation/credentials (SSO). Every response's secrets are known strings
 * so tests can grep outputs for them. The last request of each kind is kept.
 */
#ifndef FD_TEST_CREDS_FIXTURE_H
#define FD_TEST_CREDS_FIXTURE_H

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"

#define FX_ROLE_SECRET "roleSECRETxyz"
#define FX_IMDS_SECRET "imdsSECRETxyz"
#define FX_ECS_SECRET "ecsSECRETxyz"
#define FX_SSO_SECRET "ssoSECRETxyz"

static struct MHD_Daemon *fx_daemon;
static pthread_mutex_t fx_mu = PTHREAD_MUTEX_INITIALIZER;
static char fx_sts_form[4096];        /* last STS form body */
static char fx_sts_authz[1024];       /* last STS Authorization header ("" when unsigned) */
static char fx_ecs_authz[256];        /* last ECS Authorization header */
static char fx_sso_token[256];        /* last x-amz-sso_bearer_token */
static char fx_sso_query[256];        /* last SSO account_id/role_name */
static int fx_hits_sts, fx_hits_imds, fx_hits_ecs, fx_hits_sso, fx_role_n;
static long fx_expires_in_s = 3600;   /* lifetime of issued credentials */
static const char *fx_ecs_want_authz; /* required ECS Authorization, NULL: none */
static int fx_imds_fail_n, fx_ecs_fail_n; /* answer the next N token / ECS requests with 503 */

/* An ISO 8601 time fx_expires_in_s from now. */
static inline void fx_expiration(char *buf, size_t size)
{
	time_t t = time(NULL) + fx_expires_in_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Queue a response with a body and status. */
static inline enum MHD_Result fx_reply(struct MHD_Connection *c, unsigned status, const char *ctype,
				       const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								  MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", ctype);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The value of name in a form body, URL-decoded into buf ("" when absent). */
static inline const char *fx_form_get(const char *form, const char *name, char *buf, size_t size)
{
	size_t n = strlen(name), o = 0;
	const char *p = form;

	buf[0] = '\0';
	while (p && *p) {
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			while (*p && *p != '&' && o + 1 < size) {
				if (*p == '%' && p[1] && p[2]) {
					char hex[3] = { p[1], p[2], 0 };
					buf[o++] = (char)strtol(hex, NULL, 16);
					p += 3;
				} else if (*p == '+') {
					buf[o++] = ' ';
					p++;
				} else
					buf[o++] = *p++;
			}
			buf[o] = '\0';
			return buf;
		}
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return buf;
}

/* STS: answer by Action. */
static inline enum MHD_Result fx_sts(struct MHD_Connection *c, const char *form)
{
	char action[64], arn[256], exp[32], body[2048], ak[128];
	const char *authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	int n;

	pthread_mutex_lock(&fx_mu);
	fx_hits_sts++;
	snprintf(fx_sts_form, sizeof(fx_sts_form), "%s", form);
	snprintf(fx_sts_authz, sizeof(fx_sts_authz), "%s", authz ? authz : "");
	n = ++fx_role_n;
	pthread_mutex_unlock(&fx_mu);
	fx_form_get(form, "Action", action, sizeof(action));
	fx_form_get(form, "RoleArn", arn, sizeof(arn));
	fx_expiration(exp, sizeof(exp));
	if (strcmp(action, "GetCallerIdentity") == 0) {
		const char *cred = authz ? strstr(authz, "Credential=") : NULL;
		size_t l = 0;
		if (!cred)
			return fx_reply(c, 403, "text/xml",
					"<ErrorResponse><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>"
					"<Message>Request is missing Authentication Token</Message></Error>"
					"<RequestId>req-1</RequestId></ErrorResponse>");
		cred += strlen("Credential=");
		while (cred[l] && cred[l] != '/' && l + 1 < sizeof(ak))
			l++;
		memcpy(ak, cred, l);
		ak[l] = '\0';
		snprintf(body, sizeof(body),
			 "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
			 "<GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/fixture/%s</Arn>"
			 "<UserId>AROAFIXTURE:%s</UserId><Account>123456789012</Account>"
			 "</GetCallerIdentityResult><ResponseMetadata><RequestId>req-gci</RequestId>"
			 "</ResponseMetadata></GetCallerIdentityResponse>", ak, ak);
		return fx_reply(c, 200, "text/xml", body);
	}
	if (strcmp(action, "AssumeRole") != 0 && strcmp(action, "AssumeRoleWithWebIdentity") != 0)
		return fx_reply(c, 400, "text/xml",
				"<ErrorResponse><Error><Code>InvalidAction</Code><Message>unknown action</Message>"
				"</Error><RequestId>req-2</RequestId></ErrorResponse>");
	if (strstr(arn, "denied"))
		return fx_reply(c, 403, "text/xml",
				"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
				"<Message>User is not authorized to perform: sts:AssumeRole</Message></Error>"
				"<RequestId>req-denied</RequestId></ErrorResponse>");
	if (strcmp(action, "AssumeRole") == 0 && !authz)
		return fx_reply(c, 403, "text/xml",
				"<ErrorResponse><Error><Code>MissingAuthenticationToken</Code>"
				"<Message>unsigned</Message></Error><RequestId>req-3</RequestId></ErrorResponse>");
	snprintf(body, sizeof(body),
		 "<%sResponse><%sResult><Credentials><AccessKeyId>ASIAROLE%d</AccessKeyId>"
		 "<SecretAccessKey>" FX_ROLE_SECRET "%d</SecretAccessKey><SessionToken>roleTOKEN%d</SessionToken>"
		 "<Expiration>%s</Expiration></Credentials></%sResult>"
		 "<ResponseMetadata><RequestId>req-ar</RequestId></ResponseMetadata></%sResponse>",
		 action, action, n, n, n, exp, action, action);
	return fx_reply(c, 200, "text/xml", body);
}

/* Per-connection request body. */
struct fx_conn {
	struct strbuf body;
};

/* libmicrohttpd access handler: route by method and path. */
static inline enum MHD_Result fx_handler(void *cls, struct MHD_Connection *c, const char *url,
					 const char *method, const char *version,
					 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct fx_conn *fc = *con_cls;
	char exp[32], body[1024];

	(void)cls;
	(void)version;
	if (!fc) {
		fc = calloc(1, sizeof(*fc));
		strbuf_init(&fc->body);
		*con_cls = fc;
		return MHD_YES;
	}
	if (*upload_data_size) {
		strbuf_add(&fc->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	fx_expiration(exp, sizeof(exp));
	if (strcmp(method, "PUT") == 0 && strcmp(url, "/latest/api/token") == 0) {
		const char *ttl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							      "X-aws-ec2-metadata-token-ttl-seconds");
		__atomic_add_fetch(&fx_hits_imds, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&fx_imds_fail_n, __ATOMIC_SEQ_CST) > 0) {
			__atomic_sub_fetch(&fx_imds_fail_n, 1, __ATOMIC_SEQ_CST);
			return fx_reply(c, 503, "text/plain", "busy");
		}
		if (!ttl)
			return fx_reply(c, 400, "text/plain", "missing TTL");
		return fx_reply(c, 200, "text/plain", "imds-session-token");
	}
	if (strncmp(url, "/latest/meta-data/iam/security-credentials/", 43) == 0) {
		const char *tok = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-aws-ec2-metadata-token");
		if (!tok || strcmp(tok, "imds-session-token") != 0)
			return fx_reply(c, 401, "text/plain", "no token");
		if (url[43] == '\0')
			return fx_reply(c, 200, "text/plain", "fd-role\n");
		if (strcmp(url + 43, "fd-role") != 0)
			return fx_reply(c, 404, "text/plain", "no such role");
		snprintf(body, sizeof(body),
			 "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAIMDS\","
			 "\"SecretAccessKey\":\"" FX_IMDS_SECRET "\",\"Token\":\"imdsTOKEN\",\"Expiration\":\"%s\"}", exp);
		return fx_reply(c, 200, "application/json", body);
	}
	if (strcmp(url, "/ecs/creds") == 0 || strncmp(url, "/v2/credentials/", 16) == 0) {
		const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
		pthread_mutex_lock(&fx_mu);
		fx_hits_ecs++;
		snprintf(fx_ecs_authz, sizeof(fx_ecs_authz), "%s", a ? a : "");
		pthread_mutex_unlock(&fx_mu);
		if (__atomic_load_n(&fx_ecs_fail_n, __ATOMIC_SEQ_CST) > 0) {
			__atomic_sub_fetch(&fx_ecs_fail_n, 1, __ATOMIC_SEQ_CST);
			return fx_reply(c, 503, "application/json", "{\"message\":\"busy\"}");
		}
		if (fx_ecs_want_authz && (!a || strcmp(a, fx_ecs_want_authz) != 0))
			return fx_reply(c, 401, "application/json", "{\"message\":\"bad token\"}");
		snprintf(body, sizeof(body),
			 "{\"AccessKeyId\":\"ASIAECS\",\"SecretAccessKey\":\"" FX_ECS_SECRET "\","
			 "\"Token\":\"ecsTOKEN\",\"Expiration\":\"%s\",\"RoleArn\":\"arn:aws:iam::123456789012:role/task\"}",
			 exp);
		return fx_reply(c, 200, "application/json", body);
	}
	if (strcmp(method, "GET") == 0 && strcmp(url, "/federation/credentials") == 0) {
		const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-amz-sso_bearer_token");
		const char *acct = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "account_id");
		const char *role = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "role_name");
		pthread_mutex_lock(&fx_mu);
		fx_hits_sso++;
		snprintf(fx_sso_token, sizeof(fx_sso_token), "%s", t ? t : "");
		snprintf(fx_sso_query, sizeof(fx_sso_query), "%s/%s", acct ? acct : "", role ? role : "");
		pthread_mutex_unlock(&fx_mu);
		if (!t || strcmp(t, "sso-access-token") != 0)
			return fx_reply(c, 401, "application/json", "{\"message\":\"Session token not found or invalid\"}");
		snprintf(body, sizeof(body),
			 "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSO\",\"secretAccessKey\":\"" FX_SSO_SECRET "\","
			 "\"sessionToken\":\"ssoTOKEN\",\"expiration\":%lld000}}",
			 (long long)(time(NULL) + fx_expires_in_s));
		return fx_reply(c, 200, "application/json", body);
	}
	if (strcmp(method, "POST") == 0 && strcmp(url, "/") == 0)
		return fx_sts(c, fc->body.data);
	return fx_reply(c, 404, "text/plain", "not found");
}

/* Free the per-connection body when a request completes. */
static inline void fx_completed(void *cls, struct MHD_Connection *c, void **con_cls,
				enum MHD_RequestTerminationCode toe)
{
	struct fx_conn *fc = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (fc) {
		strbuf_clean_up(&fc->body);
		free(fc);
		*con_cls = NULL;
	}
}

/* Start on 127.0.0.1 with a kernel-chosen port; returns the port (0 on failure). */
static inline unsigned fx_start(void)
{
	const union MHD_DaemonInfo *info;
	static struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fx_daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				     fx_handler, NULL, MHD_OPTION_NOTIFY_COMPLETED, fx_completed, NULL,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
	if (!fx_daemon)
		return 0;
	info = MHD_get_daemon_info(fx_daemon, MHD_DAEMON_INFO_BIND_PORT);
	return info ? info->port : 0;
}

/* Stop the server. */
static inline void fx_stop(void)
{
	if (fx_daemon)
		MHD_stop_daemon(fx_daemon);
	fx_daemon = NULL;
}

#endif
