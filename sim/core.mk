# sim/core.mk: the simulator's core — server, auth, world, scenario, faults, and the
# sts / autoscaling / elasticloadbalancing / rds services (owned by simcore).
libflightdeck_a_SOURCES += sim/sim.h sim/world.h sim/service.h sim/fault.h
