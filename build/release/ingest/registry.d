build/release/ingest/registry.o: ingest/registry.c core/common.h \
 core/banned.h ingest/ingest.h core/arena.h core/sink.h core/util.h
core/common.h:
core/banned.h:
ingest/ingest.h:
core/arena.h:
core/sink.h:
core/util.h:
