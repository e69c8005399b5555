/* auth.h — the credentials the simulator accepts and issues, and request verification.
 *
 * The store starts with the scenario's long-term key (an IAM user); STS
 * AssumeRole*, IMDSv2, ECS and SSO hand out temporary keys with a session token
 * that sim_auth_verify() accepts until they expire (or expire-credentials).
 */
#ifndef FD_SIM_AUTH_H
#define FD_SIM_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/service.h"

struct sim_cred {
	char access_key[32];
	char *secret_key;            /* owned, wiped on free */
	char *session_token;         /* owned, wiped on free; NULL for the long-term key */
	double issued_s;
	double expires_s;            /* 0: never */
	char arn[SIM_ARN_MAX];       /* arn:aws:iam::ACCOUNT:user/NAME or ...:assumed-role/ROLE/SESSION */
	char user_id[128];           /* AIDA... or AROA...:SESSION */
};

#define SIM_AUTH_MAX 10000   /* keys kept; past it the oldest temporary key is forgotten */

struct sim_auth {
	struct sim_cred *creds;
	size_t n_creds;
};

/* Start with the long-term key of the account. */
void sim_auth_init(struct sim_auth *a, const char *account, const char *access_key,
		   const char *secret_key);
void sim_auth_clean_up(struct sim_auth *a);
/* Issue temporary credentials for arn (a role session); returns the new entry
 * (borrowed, valid until the next issue). */
const struct sim_cred *sim_auth_issue(struct sim_auth *a, struct sim_world *w, const char *arn,
				      const char *user_id, double duration_s);
/* The entry of an access key, NULL when unknown. */
const struct sim_cred *sim_auth_find(const struct sim_auth *a, const char *access_key);

/* The outcome of verifying a request. */
struct sim_auth_result {
	int status;                  /* 0 when accepted, else the HTTP status of the error */
	char code[64];               /* error code in the protocol's spelling */
	char message[512];
	char service[64];            /* from the credential scope */
	char region[64];
	const struct sim_cred *cred; /* the caller when accepted */
};

/* Verify a signed request's Authorization (SigV4, access key, token, clock skew
 * of 5 minutes, expired credentials). Error codes follow the protocol of the
 * scope's service (query: SignatureDoesNotMatch / InvalidClientTokenId /
 * ExpiredToken; json: InvalidSignatureException / UnrecognizedClientException /
 * ExpiredTokenException). expired_before_s is the expire-credentials fault (0 none). */
void sim_auth_verify(const struct sim_auth *a, const struct sim_req *req, double now_s,
		     double expired_before_s, struct sim_auth_result *out);

#endif
