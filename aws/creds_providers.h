/* creds_providers.h — the credential providers of the default chain, one small object each.
 *
 * Every constructor returns a provider to destroy with creds_provider_destroy().
 * A provider that does not apply fails with code "CredentialsNotFound" so the
 * chain moves on; any other failure stops the chain with a message for a person.
 */
#ifndef FD_CREDS_PROVIDERS_H
#define FD_CREDS_PROVIDERS_H

#include <stddef.h>

#include "aws/awsconf.h"
#include "aws/creds.h"

/* Try list[0..n) in order; takes ownership of the providers (not of list). */
struct creds_provider *creds_chain_of(struct creds_provider **list, size_t n);

/* A profile of conf (conf must outlive it): static keys from the credentials
 * file ("shared-credentials") or the config file ("config-file"). */
struct creds_provider *creds_profile_new(struct awsconf *conf, const char *profile);

#endif
