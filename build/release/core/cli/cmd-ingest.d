build/release/core/cli/cmd-ingest.o: core/cli/cmd-ingest.c core/common.h \
 core/banned.h core/cli/cli.h core/dderr.h core/sbuf.h core/store.h \
 core/util.h core/xmalloc.h ingest/ingest.h core/arena.h core/sink.h
core/common.h:
core/banned.h:
core/cli/cli.h:
core/dderr.h:
core/sbuf.h:
core/store.h:
core/util.h:
core/xmalloc.h:
ingest/ingest.h:
core/arena.h:
core/sink.h:
