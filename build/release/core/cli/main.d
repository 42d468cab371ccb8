build/release/core/cli/main.o: core/cli/main.c core/common.h \
 core/banned.h core/cli/cli.h core/version.h
core/common.h:
core/banned.h:
core/cli/cli.h:
core/version.h:
