build/release/ingest/ingest.o: ingest/ingest.c core/common.h \
 core/banned.h ingest/ingest.h core/arena.h core/sink.h core/util.h \
 core/artifact.h core/chunk.h core/custody.h core/dderr.h core/limits.h \
 core/rd.h core/sbuf.h core/store.h core/xmalloc.h
core/common.h:
core/banned.h:
ingest/ingest.h:
core/arena.h:
core/sink.h:
core/util.h:
core/artifact.h:
core/chunk.h:
core/custody.h:
core/dderr.h:
core/limits.h:
core/rd.h:
core/sbuf.h:
core/store.h:
core/xmalloc.h:
