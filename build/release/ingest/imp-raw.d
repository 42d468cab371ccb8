build/release/ingest/imp-raw.o: ingest/imp-raw.c core/common.h \
 core/banned.h core/dderr.h ingest/ingest.h core/arena.h core/sink.h \
 core/util.h
core/common.h:
core/banned.h:
core/dderr.h:
ingest/ingest.h:
core/arena.h:
core/sink.h:
core/util.h:
