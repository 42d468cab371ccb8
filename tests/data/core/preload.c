/* preload.c: an empty shared object for LD_PRELOAD in implant's
 * environment (the memory analyzer flags LD_PRELOAD). */
int drydock_preload_marker = 1;
