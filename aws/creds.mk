# aws/creds.mk: credentials, providers and the shared config files (owned by the creds module).
libflightdeck_a_SOURCES += aws/creds.c aws/creds.h aws/awsconf.c aws/awsconf.h \
	aws/creds_providers.h aws/creds_chain.c aws/creds_profile.c aws/creds_cache.c \
	aws/creds_prompt.c aws/creds_http.c aws/creds_http.h aws/creds_process.c \
	aws/creds_imds.c aws/creds_container.c aws/creds_sts.c aws/creds_sso.c

check_PROGRAMS += tests/creds/test_awsconf tests/creds/test_creds tests/creds/test_providers \
	tests/creds/fake_aws tests/creds/resolve
tests_creds_resolve_LDADD = $(FD_LIBS)
tests_creds_test_awsconf_LDADD = $(FD_LIBS)
tests_creds_test_creds_LDADD = $(FD_LIBS)
tests_creds_test_providers_LDADD = $(FD_LIBS)
tests_creds_fake_aws_LDADD = $(FD_LIBS)
TESTS += tests/creds/test_awsconf tests/creds/test_creds tests/creds/test_providers \
	tests/creds/test_whoami.sh tests/creds/test_whoami_sim.sh tests/creds/test_botocore_diff.sh
EXTRA_DIST += tests/creds/lib.sh tests/creds/helpers.h tests/creds/fixture.h tests/creds/test_whoami.sh tests/creds/test_whoami_sim.sh \
	tests/creds/test_botocore_diff.sh tests/creds/botocore_resolve.py tests/fuzz/corpus/ini

if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_ini
tests_fuzz_fuzz_ini_SOURCES = tests/fuzz/fuzz_ini.c
tests_fuzz_fuzz_ini_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_ini_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif

# make bench: bench/creds.sh runs this helper.
noinst_PROGRAMS += bench/bench_creds
bench_bench_creds_SOURCES = bench/bench_creds.c
bench_bench_creds_LDADD = $(FD_LIBS)
EXTRA_DIST += bench/creds.sh
