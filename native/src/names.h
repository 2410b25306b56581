/* errno and signal numbers as their names, so records say EPERM rather than 1. */
#ifndef NSC_NAMES_H
#define NSC_NAMES_H

const char *errno_name(int err);
const char *signal_name(int sig);

#endif
