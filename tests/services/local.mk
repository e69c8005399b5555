# tests/services/local.mk: end-to-end tests of the architecture's other services
# (issue 17): RDS replication, ElastiCache sessions, CloudFront, the deploy pipeline.
TESTS += tests/services/test_refresh.sh tests/services/test_views.sh tests/services/test_sessions.sh tests/services/test_deploys.sh tests/services/test_lt_version.sh
EXTRA_DIST += tests/services/test_refresh.sh tests/services/lib.sh tests/services/test_replication.sh tests/services/test_views.sh tests/services/golden tests/services/test_sessions.sh tests/services/test_cdn.sh tests/services/test_deploys.sh tests/services/test_session_loss.sh tests/services/test_lt_version.sh
EXTRA_DIST += bench/services.sh
