# tui/local.mk: the ncurses dashboard (issue 5).
libflightdeck_a_SOURCES += tui/tui.h tui/internal.h tui/view.h tui/fmt.h tui/fmt.c \
	tui/color.c tui/term.c tui/draw.c tui/keys.c tui/cmds.c tui/lineedit.c tui/views.c \
	tui/tui.c tui/view_overview.c tui/view_metrics.c tui/view_alarms.c tui/view_asg.c \
	tui/view_lb.c tui/view_route53.c tui/view_xray.c tui/view_runbooks.c tui/view_help.c tui/view_db.c tui/view_sessions.c tui/view_cdn.c \
	tui/runhost.h tui/runhost.c tui/wrap.h tui/wrap.c tui/confirm.c tui/runform.h tui/runform.c

TESTS += tests/tui/test_views.sh tests/tui/test_term.sh tests/tui/test_golden.sh tests/tui/test_runs.sh tests/tui/test_demo.sh tests/tui/test_mfa.sh tests/tui/test_truth.sh
EXTRA_DIST += bench/tui.sh tests/tui/lib.sh tests/tui/test_views.sh tests/tui/test_term.sh tests/tui/test_golden.sh tests/tui/test_runs.sh tests/tui/test_demo.sh tests/tui/test_mfa.sh tests/tui/test_truth.sh tests/tui/golden

# flightdeck with the fake model (FLIGHTDECK_FAKE_MODEL=1) for the tmux tests; never installed
check_PROGRAMS += tests/tui/flightdeck-fake
tests_tui_flightdeck_fake_SOURCES = tests/tui/fake_main.c tests/tui/fake.c tests/tui/fake.h
tests_tui_flightdeck_fake_LDADD = $(FD_LIBS)
check_PROGRAMS += tests/tui/test_fmt
tests_tui_test_fmt_LDADD = $(FD_LIBS)
TESTS += tests/tui/test_fmt
check_PROGRAMS += tests/tui/test_viewkeys
tests_tui_test_viewkeys_LDADD = $(FD_LIBS)
TESTS += tests/tui/test_viewkeys
check_PROGRAMS += tests/tui/test_wrap
tests_tui_test_wrap_LDADD = $(FD_LIBS)
TESTS += tests/tui/test_wrap
TESTS += tests/tui/test_hostile.sh tests/tui/test_runbook_names.sh tests/tui/test_loop.sh tests/tui/test_confirm.sh tests/tui/test_confirm_typeahead.sh \
	tests/tui/test_rbview.sh tests/tui/test_rest.sh tests/tui/test_keyhelp.sh tests/tui/test_rbprobe.sh tests/tui/test_r53_shown.sh
EXTRA_DIST += tests/tui/test_hostile.sh tests/tui/test_runbook_names.sh tests/tui/test_loop.sh tests/tui/test_confirm.sh tests/tui/test_confirm_typeahead.sh \
	tests/tui/test_rbview.sh tests/tui/rb_lib.sh tests/tui/test_rest.sh tests/tui/test_keyhelp.sh tests/tui/test_rbprobe.sh tests/tui/test_r53_shown.sh
