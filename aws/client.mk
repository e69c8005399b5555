# aws/client.mk: the operation table, protocol codecs, HTTP layer and client.
libflightdeck_a_SOURCES += aws/ops.c aws/ops.h aws/shapes.c aws/shapes.h aws/shapes_gen.c \
	aws/shapes_gen.h aws/codec.c aws/codec.h aws/codec_impl.h aws/codec_value.c aws/codec_xml.c \
	aws/codec_body.c aws/codec_form.c aws/codec_rest.c aws/codec_query.c aws/codec_restxml.c \
	aws/codec_restjson.c aws/codec_json.c aws/codec_server.c aws/codec_server.h
libflightdeck_a_SOURCES += aws/http.c aws/http.h aws/client.c aws/region.c aws/region.h aws/debuglog.c aws/debuglog.h

check_PROGRAMS += tests/client/test_client
tests_client_test_client_SOURCES = tests/client/test_client.c tests/client/fixture.c tests/client/fixture.h
tests_client_test_client_LDADD = $(FD_LIBS) -lpthread
TESTS += tests/client/test_client

check_PROGRAMS += tests/client/test_codec
tests_client_test_codec_LDADD = $(FD_LIBS)
TESTS += tests/client/test_codec
EXTRA_DIST += tests/client/golden

check_PROGRAMS += tests/client/test_retry
tests_client_test_retry_LDADD = $(FD_LIBS)
TESTS += tests/client/test_retry

check_PROGRAMS += tests/client/test_region
tests_client_test_region_LDADD = $(FD_LIBS)
TESTS += tests/client/test_region

TESTS += tests/client/test_call.sh tests/client/test_region_inject.sh
EXTRA_DIST += tests/client/test_region_inject.sh tests/client/recorder.py
EXTRA_DIST += tests/client/test_call.sh tests/client/input

EXTRA_DIST += tests/fuzz/corpus/xml tests/fuzz/corpus/json
if FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_xml tests/fuzz/fuzz_json
tests_fuzz_fuzz_xml_SOURCES = tests/fuzz/fuzz_xml.c
tests_fuzz_fuzz_xml_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_xml_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz_json.c
tests_fuzz_fuzz_json_LDADD = $(FD_LIBS)
tests_fuzz_fuzz_json_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif

noinst_PROGRAMS += tests/client/bench_client
tests_client_bench_client_SOURCES = tests/client/bench_client.c tests/client/fixture.c tests/client/fixture.h
tests_client_bench_client_LDADD = $(FD_LIBS) -lpthread
EXTRA_DIST += bench/client.sh aws/client.h

TESTS += tests/client/test_shapes.sh
EXTRA_DIST += tests/client/test_shapes.sh tests/client/shape_diff.py

# The wire layer against botocore (issue 11): many calls per process, the shape tables' freshness.
check_PROGRAMS += tests/client/wire_call tests/client/wire_server
tests_client_wire_call_LDADD = $(FD_LIBS)
tests_client_wire_server_LDADD = $(FD_LIBS)
TESTS += tests/client/test_wire.sh tests/client/test_shapes_gen.sh tests/client/test_findings.sh
EXTRA_DIST += tests/client/test_wire.sh tests/client/wire_diff.py tests/client/wire_model.py \
	tests/client/test_findings.sh tests/client/wire_findings.py \
	tests/client/test_shapes_gen.sh scripts/gen-shapes bench/wire.sh bench/wire_decode.c bench/wire_payloads.py

check_PROGRAMS += tests/client/test_expired
tests_client_test_expired_LDADD = $(FD_LIBS) -lpthread
TESTS += tests/client/test_expired
