# model/local.mk: the dashboard model, collectors, targets, config, snapshot support.
libflightdeck_a_SOURCES += model/model.c model/model.h model/config.h model/collector.h \
	model/parse.c model/parse.h

check_PROGRAMS += tests/model/test_model
tests_model_test_model_LDADD = $(FD_LIBS)
TESTS += tests/model/test_model

check_PROGRAMS += tests/model/test_parse
tests_model_test_parse_LDADD = $(FD_LIBS)
TESTS += tests/model/test_parse
EXTRA_DIST += tests/model/fixtures
