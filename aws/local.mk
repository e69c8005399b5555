# aws/local.mk: shared foundations (error convention, strings, allocation).
libflightdeck_a_SOURCES += aws/error.c aws/error.h aws/strbuf.c aws/strbuf.h \
	aws/xalloc.c aws/xalloc.h
