build/release/core/cli/commands.o: core/cli/commands.c core/common.h \
 core/banned.h core/cli/cli.h
core/common.h:
core/banned.h:
core/cli/cli.h:
