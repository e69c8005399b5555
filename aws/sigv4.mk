# aws/sigv4.mk: SigV4 signing (aws/sigv4*.c) and its tests.
libflightdeck_a_SOURCES += aws/sigv4.c aws/sigv4.h aws/sigv4_request.c aws/sigv4_canonical.c \
	aws/sigv4_verify.c

check_PROGRAMS += tests/sigv4/test_suite
tests_sigv4_test_suite_SOURCES = tests/sigv4/test_suite.c tests/sigv4/suite.h
tests_sigv4_test_suite_LDADD = $(FD_LIBS)
TESTS += tests/sigv4/test_suite

check_PROGRAMS += tests/sigv4/test_sigv4
tests_sigv4_test_sigv4_LDADD = $(FD_LIBS)
TESTS += tests/sigv4/test_sigv4

# `flightdeck sigv4` over the whole suite (src/cmd_sigv4.c)
TESTS += tests/sigv4/test_cli.sh
EXTRA_DIST += tests/sigv4/test_cli.sh

# differential test against botocore (python3-botocore, run by /usr/bin/python3)
# sign_stream is also the C side of bench/sigv4.sh, so `make` builds it
noinst_PROGRAMS += tests/sigv4/sign_stream
tests_sigv4_sign_stream_LDADD = $(FD_LIBS)
TESTS += tests/sigv4/test_botocore.sh
EXTRA_DIST += tests/sigv4/test_botocore.sh tests/sigv4/botocore_diff.py bench/sigv4.sh

# libFuzzer target for the raw-request reader and canonicalisation
if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_request
tests_fuzz_fuzz_request_SOURCES = tests/fuzz/fuzz_request.c
tests_fuzz_fuzz_request_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_request_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
EXTRA_DIST += tests/fuzz/fuzz_request.c tests/fuzz/corpus/request
