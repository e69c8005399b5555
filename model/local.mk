# model/local.mk: the dashboard model, one file per panel, the collector (scheduler), targets,
# config, snapshot support.
libflightdeck_a_SOURCES += model/model.c model/model.h model/config.h model/collector.h \
	model/config.c model/config_impl.h model/config_walk.c model/config_query.c \
	model/config_panel.c model/config_target.c model/measure.c model/measure.h \
	model/targets.c model/targets.h model/collector.c model/snapshot.c model/snapshot.h \
	model/series.c model/series.h model/panel.c model/panel.h \
	model/panel_lb.c model/panel_lb.h model/panel_lb_eni.c model/panel_asg.c model/panel_asg.h \
	model/panel_alarms.c model/panel_alarms.h model/panel_metrics.c model/panel_metrics.h \
	model/panel_metrics_impl.h model/panel_metrics_query.c model/panel_metrics_figures.c \
	model/panel_rds.c model/panel_rds.h model/panel_xray.c model/panel_xray.h \
	model/panel_route53.c model/panel_route53.h model/panel_route53_pick.c model/panel_targets.c \
	model/serving.c model/serving.h model/verdict.c model/verdict.h \
	model/replication.c model/replication.h model/panel_sessions.c model/panel_sessions.h \
	model/sessions.c model/sessions.h model/panel_cdn.c model/panel_cdn.h model/cdn.c model/cdn.h model/panel_deploys.c model/panel_deploys.h

check_PROGRAMS += tests/model/test_model
tests_model_test_model_LDADD = $(FD_LIBS)
TESTS += tests/model/test_model

check_PROGRAMS += tests/model/test_parse
tests_model_test_parse_LDADD = $(FD_LIBS)
TESTS += tests/model/test_parse
EXTRA_DIST += tests/model/fixtures tests/model/says.h

check_PROGRAMS += tests/model/test_config
tests_model_test_config_LDADD = $(FD_LIBS)
TESTS += tests/model/test_config

if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
EXTRA_DIST += tests/fuzz/corpus/config

check_PROGRAMS += tests/model/test_targets
tests_model_test_targets_LDADD = $(FD_LIBS)
TESTS += tests/model/test_targets

check_PROGRAMS += tests/model/test_snapshot
tests_model_test_snapshot_LDADD = $(FD_LIBS)
TESTS += tests/model/test_snapshot
EXTRA_DIST += tests/model/golden

TESTS += tests/model/test_snapshot_e2e.sh
EXTRA_DIST += tests/model/test_snapshot_e2e.sh
EXTRA_DIST += docs/snapshot-schema.md

check_PROGRAMS += tests/model/test_collector
tests_model_test_collector_LDADD = $(FD_LIBS)
TESTS += tests/model/test_collector
EXTRA_DIST += docs/config.md bench/model.sh

if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_parse
tests_fuzz_fuzz_parse_SOURCES = tests/fuzz/fuzz_parse.c
tests_fuzz_fuzz_parse_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
EXTRA_DIST += tests/fuzz/corpus/parse

check_PROGRAMS += tests/model/test_serving
tests_model_test_serving_LDADD = $(FD_LIBS)
TESTS += tests/model/test_serving

TESTS += tests/model/test_fixtures.sh
EXTRA_DIST += tests/model/test_fixtures.sh tests/model/fixtures_check.py

check_PROGRAMS += tests/model/test_replication
tests_model_test_replication_LDADD = $(FD_LIBS)
TESTS += tests/model/test_replication

check_PROGRAMS += tests/model/test_sessions
tests_model_test_sessions_LDADD = $(FD_LIBS)
TESTS += tests/model/test_sessions

check_PROGRAMS += tests/model/test_cdn
tests_model_test_cdn_LDADD = $(FD_LIBS)
TESTS += tests/model/test_cdn

check_PROGRAMS += tests/model/test_deploys
tests_model_test_deploys_LDADD = $(FD_LIBS)
TESTS += tests/model/test_deploys

check_PROGRAMS += tests/model/test_r53_calls
tests_model_test_r53_calls_LDADD = $(FD_LIBS)
TESTS += tests/model/test_r53_calls
