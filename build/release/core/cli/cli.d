build/release/core/cli/cli.o: core/cli/cli.c core/common.h core/banned.h \
 core/cli/cli.h core/dderr.h core/sbuf.h core/util.h core/xmalloc.h
core/common.h:
core/banned.h:
core/cli/cli.h:
core/dderr.h:
core/sbuf.h:
core/util.h:
core/xmalloc.h:
