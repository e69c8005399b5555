# tests/local.mk: tests of the shared foundations.
check_PROGRAMS += tests/test_error
tests_test_error_LDADD = $(FD_LIBS)
TESTS += tests/test_error
EXTRA_DIST += tests/tap.h tests/tap.sh
EXTRA_DIST += tests/lsan.supp
TESTS += tests/test_cli.sh
EXTRA_DIST += tests/test_cli.sh
check_PROGRAMS += tests/test_termtext
tests_test_termtext_LDADD = $(FD_LIBS)
TESTS += tests/test_termtext
TESTS += tests/test_hostile_text.sh tests/test_call_confirm.sh tests/test_statefiles.sh
EXTRA_DIST += tests/test_hostile_text.sh tests/test_call_confirm.sh tests/test_statefiles.sh
check_PROGRAMS += tests/test_limits
tests_test_limits_LDADD = $(FD_LIBS)
TESTS += tests/test_limits tests/test_limits_e2e.sh tests/test_security_doc.sh
EXTRA_DIST += tests/test_limits_e2e.sh tests/test_security_doc.sh
