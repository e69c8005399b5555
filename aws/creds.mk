# aws/creds.mk: credentials, providers and the shared config files (owned by the creds module).
libflightdeck_a_SOURCES += aws/creds.c aws/creds.h aws/awsconf.c aws/awsconf.h \
	aws/creds_providers.h aws/creds_chain.c aws/creds_profile.c

check_PROGRAMS += tests/creds/test_awsconf tests/creds/test_creds
tests_creds_test_awsconf_LDADD = $(FD_LIBS)
tests_creds_test_creds_LDADD = $(FD_LIBS)
TESTS += tests/creds/test_awsconf tests/creds/test_creds
EXTRA_DIST += tests/creds/helpers.h tests/fuzz/corpus/ini

if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_ini
tests_fuzz_fuzz_ini_SOURCES = tests/fuzz/fuzz_ini.c
tests_fuzz_fuzz_ini_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_ini_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
