build/release/core/cli/cmd-init.o: core/cli/cmd-init.c core/common.h \
 core/banned.h core/cli/cli.h core/custody.h core/util.h core/dderr.h \
 core/store.h core/version.h
core/common.h:
core/banned.h:
core/cli/cli.h:
core/custody.h:
core/util.h:
core/dderr.h:
core/store.h:
core/version.h:
