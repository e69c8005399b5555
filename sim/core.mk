# sim/core.mk: the simulator's core — server, auth, world, scenario, faults, and the
# sts / autoscaling / elasticloadbalancing / rds services (owned by simcore).
libflightdeck_a_SOURCES += sim/sim.h sim/world.h sim/service.h sim/fault.h sim/auth.h \
	sim/server.h sim/server.c sim/endpoints.c sim/httpd.c sim/spawn.c sim/auth.c sim/service.c sim/world.c sim/world_json.c sim/asg_lt.c sim/asg_lt.h sim/r53health.c sim/scenario.h sim/scenario.c sim/scenario_region.c sim/scenario_r53.c sim/fault.c \
	sim/paging.c sim/shaped.c sim/svc_sts.c sim/svc_sso.c sim/svc_autoscaling.c sim/svc_elbv2.h sim/svc_elbv2.c sim/svc_elbv2_rules.c sim/elbv2_match.h sim/elbv2_match.c sim/svc_rds.c sim/svc_ec2.c \
	sim/svc_elasticache.c sim/elasticache.h sim/svc_cloudfront.c sim/svc_ec2_lt.c sim/svc_asg_refresh.c sim/asg_refresh.h


TESTS += tests/sim/test_sim_awscli.sh tests/sim/test_sim_botocore.sh tests/sim/test_sim_cli.sh tests/sim/test_sim_dynamics.sh tests/sim/test_sim_scale.sh tests/sim/test_sim_app.sh \
	tests/sim/test_sim_gameday_faults.sh
EXTRA_DIST += tests/sim/lib.sh tests/sim/test_sim_app.sh tests/sim/test_sim_gameday_faults.sh tests/sim/test_sim_cli.sh tests/sim/test_sim_dynamics.sh tests/sim/test_sim_scale.sh tests/sim/test_sim_awscli.sh tests/sim/test_sim_botocore.sh tests/sim/sim_botocore.py

check_PROGRAMS += tests/sim/test_sim_world
tests_sim_test_sim_world_LDADD = $(FD_LIBS)
TESTS += tests/sim/test_sim_world

EXTRA_DIST += tests/fuzz/corpus/sim_request
if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_sim_request
tests_fuzz_fuzz_sim_request_SOURCES = tests/fuzz/fuzz_sim_request.c
tests_fuzz_fuzz_sim_request_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_sim_request_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif

# make bench: bench/sim.sh drives the simulator with this load generator.
noinst_PROGRAMS += bench/sim_load
bench_sim_load_LDADD = $(FD_LIBS)
EXTRA_DIST += bench/sim.sh bench/sim_latency.sh

# tests/sim/fidelity: each case checks one documented AWS behaviour (docs/sim.md).
TESTS += tests/sim/fidelity/test_paging.sh tests/sim/fidelity/test_latency.sh tests/sim/fidelity/test_time.sh tests/sim/fidelity/test_route53.sh tests/sim/fidelity/test_cloudwatch.sh tests/sim/fidelity/test_requests.sh tests/sim/fidelity/test_rds_outage.sh \
	tests/sim/fidelity/test_shapes.sh
EXTRA_DIST += docs/sim.md tests/sim/fidelity/test_paging.sh tests/sim/fidelity/test_latency.sh tests/sim/fidelity/test_time.sh tests/sim/fidelity/test_route53.sh tests/sim/fidelity/test_cloudwatch.sh tests/sim/fidelity/test_requests.sh tests/sim/fidelity/test_rds_outage.sh \
	tests/sim/fidelity/test_shapes.sh tests/sim/fidelity/shapes_check.py
