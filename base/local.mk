# base/local.mk: what every part uses and no part owns (error convention, strings,
# allocation, time, YAML). Everything else builds on these; base/ includes nothing of the
# project (libyaml only for ytree).
libflightdeck_a_SOURCES += base/error.c base/error.h base/strbuf.c base/strbuf.h \
	base/xalloc.c base/xalloc.h base/isotime.c base/isotime.h base/strlist.c base/strlist.h \
	base/ytree.c base/ytree.h base/termtext.c base/termtext.h base/statefile.c base/statefile.h

check_PROGRAMS += tests/base/test_isotime
tests_base_test_isotime_LDADD = $(FD_LIBS)
TESTS += tests/base/test_isotime

check_PROGRAMS += tests/base/test_ytree
tests_base_test_ytree_LDADD = $(FD_LIBS)
TESTS += tests/base/test_ytree

check_PROGRAMS += tests/base/test_statefile
tests_base_test_statefile_LDADD = $(FD_LIBS)
TESTS += tests/base/test_statefile
