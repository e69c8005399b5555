# base/local.mk: what every part uses and no part owns (error convention, strings,
# allocation). Everything else builds on these; base/ includes nothing of the project.
libflightdeck_a_SOURCES += base/error.c base/error.h base/strbuf.c base/strbuf.h \
	base/xalloc.c base/xalloc.h \
	base/termtext.c base/termtext.h
