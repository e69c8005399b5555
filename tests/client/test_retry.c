/* test_retry.c — the standard-mode retry rules, exhaustively: every error kind x
 * mutating x timed out x attempt x quota x skew against the rules as written in
 * the SDKs' documentation, plus backoff, quota release and clock skew. */
#include "aws/http.h"
#include "tests/tap.h"

#include <stdio.h>
#include <string.h>

struct kind {
	const char *code;
	int status;
	int timed_out;
	int retryable;    /* 0 no, 1 throttling, 2 transient, 3 timeout */
};

static const struct kind kinds[] = {
	{ "Throttling", 400, 0, 1 }, { "ThrottlingException", 400, 0, 1 },
	{ "ThrottledException", 429, 0, 1 }, { "RequestThrottledException", 400, 0, 1 },
	{ "TooManyRequestsException", 429, 0, 1 },
	{ "ProvisionedThroughputExceededException", 400, 0, 1 },
	{ "TransactionInProgressException", 400, 0, 1 }, { "RequestLimitExceeded", 400, 0, 1 },
	{ "BandwidthLimitExceeded", 400, 0, 1 }, { "LimitExceededException", 400, 0, 1 },
	{ "RequestThrottled", 400, 0, 1 }, { "SlowDown", 503, 0, 1 },
	{ "PriorRequestNotComplete", 400, 0, 1 }, { "EC2ThrottledException", 400, 0, 1 },
	{ "RequestTimeout", 400, 0, 2 }, { "RequestTimeoutException", 408, 0, 2 },
	{ "InternalFailure", 500, 0, 2 }, { "BadGateway", 502, 0, 2 },
	{ "ServiceUnavailable", 503, 0, 2 }, { "GatewayTimeout", 504, 0, 2 },
	{ "ConnectionError", 0, 0, 2 }, { "ConnectionError", 0, 1, 3 },
	{ "Timeout", 0, 0, 3 }, { "Timeout", 0, 1, 3 },
	{ "ValidationError", 400, 0, 0 }, { "AccessDenied", 403, 0, 0 },
	{ "NoSuchHealthCheck", 404, 0, 0 }, { "InvalidChangeBatch", 400, 0, 0 },
	{ "HTTP501", 501, 0, 0 }, { "ReadOnly", 0, 0, 0 }, { "TLSError", 0, 0, 0 },
	{ "SignatureDoesNotMatch", 403, 0, 0 },
};

static void test_exhaustive(void)
{
	static const int quotas[] = { 0, 4, 5, 9, 10, 11, 500 };
	size_t k, q;
	int mut, attempt, skew, cases = 0, wrong = 0;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
	for (mut = 0; mut <= 1; mut++)
	for (attempt = 1; attempt <= 4; attempt++)
	for (q = 0; q < sizeof(quotas) / sizeof(quotas[0]); q++)
	for (skew = 0; skew <= 1; skew++) {
		struct fd_error e = { 0 };
		struct http_retry r;
		bool want_retry;
		int want_cost;

		snprintf(e.code, sizeof(e.code), "%s", kinds[k].code);
		e.http_status = kinds[k].status;
		e.timed_out = kinds[k].timed_out;
		r = http_retry_decide(&e, mut, attempt, 3, quotas[q], skew);
		/* The rules: out of attempts -> no; mutating and maybe delivered -> no;
		 * skew just corrected -> yes, free; retryable and enough quota -> yes. */
		if (attempt >= 3 || (mut && kinds[k].timed_out)) {
			want_retry = false;
			want_cost = 0;
		} else if (skew) {
			want_retry = true;
			want_cost = 0;
		} else if (kinds[k].retryable == 0) {
			want_retry = false;
			want_cost = 0;
		} else {
			want_cost = kinds[k].retryable == 3 ? 10 : 5;
			want_retry = quotas[q] >= want_cost;
			if (!want_retry)
				want_cost = 0;
		}
		cases++;
		if (r.retry != want_retry || r.cost != want_cost) {
			wrong++;
			if (wrong < 10)
				printf("# %s status %d timed_out %d mutating %d attempt %d quota %d skew %d:"
				       " got retry %d cost %d (%s), want retry %d cost %d\n",
				       kinds[k].code, kinds[k].status, kinds[k].timed_out, mut, attempt,
				       quotas[q], skew, r.retry, r.cost, r.reason, want_retry, want_cost);
		}
	}
	is_int(wrong, 0, "retry decisions: %d cases as the rules say", cases);
}

static void test_spot(void)
{
	struct fd_error e = { .http_status = 0, .timed_out = 1 };
	struct http_retry r;

	snprintf(e.code, sizeof(e.code), "Timeout");
	r = http_retry_decide(&e, true, 1, 3, 500, false);
	ok(!r.retry, "a mutating call is never retried after a timeout");
	is_str(r.reason, "a mutating call timed out: re-read state before trying again",
	       "and says why");
	r = http_retry_decide(&e, false, 1, 3, 500, false);
	ok(r.retry && r.cost == 10, "a read is retried after a timeout at cost 10");
	r = http_retry_decide(&e, false, 1, 1, 500, false);
	ok(!r.retry, "max_attempts 1 means no retry");
	is_str(r.reason, "attempts exhausted", "reason");
	snprintf(e.code, sizeof(e.code), "Throttling");
	e.timed_out = 0;
	e.http_status = 400;
	r = http_retry_decide(&e, false, 4, 5, 500, false);
	ok(r.retry, "AWS_MAX_ATTEMPTS=5 allows a fourth retry");
	r = http_retry_decide(&e, false, 1, 3, 4, false);
	is_str(r.reason, "retry quota exhausted", "quota exhausted reason");
	ok(http_is_throttling("Throttling") && !http_is_throttling("throttling") &&
	   !http_is_throttling(NULL), "throttling codes are exact");
}

static void test_backoff(void)
{
	is_int(http_backoff_ms(1, 1.0), 1000, "attempt 1: up to 1 s");
	is_int(http_backoff_ms(2, 1.0), 2000, "attempt 2: up to 2 s");
	is_int(http_backoff_ms(3, 1.0), 4000, "attempt 3: up to 4 s");
	is_int(http_backoff_ms(5, 1.0), 16000, "attempt 5: up to 16 s");
	is_int(http_backoff_ms(6, 1.0), 20000, "attempt 6: capped at 20 s");
	is_int(http_backoff_ms(40, 1.0), 20000, "attempt 40: capped, no overflow");
	is_int(http_backoff_ms(3, 0.25), 1000, "full jitter: random * 2^(attempt-1)");
	is_int(http_backoff_ms(2, 0.0), 0, "jitter may be zero");
	is_int(http_backoff_ms(1, 7.0), 1000, "random clamped to 1");
}

static void test_quota(void)
{
	is_int(http_quota_release(500, 0), 500, "success with the quota full stays at 500");
	is_int(http_quota_release(490, 0), 491, "success without a retry adds 1");
	is_int(http_quota_release(490, 5), 495, "success after a retry refunds its cost");
	is_int(http_quota_release(480, 10), 490, "success after a timeout retry refunds 10");
	is_int(http_quota_release(498, 5), 500, "never above 500");
}

static void test_skew(void)
{
	time_t now = 1795496400;   /* Tue, 24 Nov 2026 05:00:00 GMT */
	long skew = 0;

	ok(http_clock_skew("SignatureDoesNotMatch", "Tue, 24 Nov 2026 06:00:00 GMT", now, &skew) &&
	   skew == 3600, "server an hour ahead: +3600 s");
	ok(http_clock_skew("RequestTimeTooSkewed", "Tue, 24 Nov 2026 04:50:00 GMT", now, &skew) &&
	   skew == -600, "server ten minutes behind: -600 s");
	ok(http_clock_skew("InvalidSignatureException", "Tue, 24 Nov 2026 05:04:01 GMT", now, &skew),
	   "4 min 1 s is skew");
	ok(!http_clock_skew("InvalidSignatureException", "Tue, 24 Nov 2026 05:04:00 GMT", now, &skew),
	   "4 min exactly is not");
	ok(!http_clock_skew("ValidationError", "Tue, 24 Nov 2026 06:00:00 GMT", now, &skew),
	   "other errors never correct the clock");
	ok(!http_clock_skew("RequestExpired", NULL, now, &skew), "no Date header, no correction");
	ok(!http_clock_skew("RequestExpired", "yesterday", now, &skew), "a bad Date is ignored");
	ok(http_clock_skew("AuthFailure", "Wed, 25 Nov 2026 05:00:00 GMT", now, &skew) &&
	   skew == 86400, "a day ahead");
}

int main(void)
{
	test_exhaustive();
	test_spot();
	test_backoff();
	test_quota();
	test_skew();
	return done_testing();
}
