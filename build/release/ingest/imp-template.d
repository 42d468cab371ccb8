build/release/ingest/imp-template.o: ingest/imp-template.c core/common.h \
 core/banned.h core/dderr.h core/limits.h core/rd.h core/sbuf.h \
 ingest/ingest.h core/arena.h core/sink.h core/util.h
core/common.h:
core/banned.h:
core/dderr.h:
core/limits.h:
core/rd.h:
core/sbuf.h:
ingest/ingest.h:
core/arena.h:
core/sink.h:
core/util.h:
