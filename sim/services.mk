# sim/services.mk: the simulated CloudWatch, X-Ray, Route 53 and ARC, and the
# traffic model their data follows (owned by the sim services module).
libflightdeck_a_SOURCES += sim/metricmath.h sim/metricmath.c sim/traffic.h sim/traffic.c \
	sim/metrics.h sim/metrics.c sim/alarms.h sim/alarms.c sim/svcstate.h sim/svcstate.c \
	sim/route53.h sim/route53.c sim/route53_zones.c sim/r53dns.c sim/cloudwatch.c sim/arc.c sim/xray.c sim/xray_filter.h sim/xray_filter.c

check_PROGRAMS += tests/sim/test_metricmath
tests_sim_test_metricmath_LDADD = $(FD_LIBS)
TESTS += tests/sim/test_metricmath

EXTRA_DIST += tests/fuzz/corpus/metricmath
if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_metricmath
tests_fuzz_fuzz_metricmath_SOURCES = tests/fuzz/fuzz_metricmath.c
tests_fuzz_fuzz_metricmath_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_metricmath_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif

check_PROGRAMS += tests/sim/test_traffic
tests_sim_test_traffic_LDADD = $(FD_LIBS)
TESTS += tests/sim/test_traffic
EXTRA_DIST += tests/sim/miniworld.h

check_PROGRAMS += tests/sim/test_alarms
tests_sim_test_alarms_LDADD = $(FD_LIBS)
TESTS += tests/sim/test_alarms

# aws-cli and botocore against the running simulator (tests/sim/lib.sh starts it)
TESTS += tests/sim/test_svc_awscli.sh tests/sim/test_svc_botocore.sh tests/sim/test_svc_failover.sh
EXTRA_DIST += tests/sim/test_svc_awscli.sh tests/sim/test_svc_awscli_cache.sh tests/sim/test_svc_botocore.sh tests/sim/svc_botocore.py \
	tests/sim/test_svc_failover.sh tests/sim/svc_failover.py

# make bench: bench/sim_services.sh (GetMetricData / DescribeAlarms rates, RSS) uses bench/sim_load.
EXTRA_DIST += bench/sim_services.sh

check_PROGRAMS += tests/sim/test_r53health
tests_sim_test_r53health_LDADD = $(FD_LIBS)
TESTS += tests/sim/test_r53health
