# sim/core.mk: the simulator's core — server, auth, world, scenario, faults, and the
# sts / autoscaling / elasticloadbalancing / rds services (owned by simcore).
libflightdeck_a_SOURCES += sim/sim.h sim/world.h sim/service.h sim/fault.h sim/auth.h \
	sim/server.c sim/spawn.c sim/auth.c sim/service.c sim/world.c sim/scenario.c sim/fault.c \
	sim/svc_sts.c sim/svc_autoscaling.c sim/svc_elbv2.c sim/svc_rds.c \
	sim/services_pending.c

TESTS += tests/sim/test_sim_awscli.sh tests/sim/test_sim_botocore.sh
EXTRA_DIST += tests/sim/lib.sh tests/sim/test_sim_awscli.sh tests/sim/test_sim_botocore.sh tests/sim/sim_botocore.py
