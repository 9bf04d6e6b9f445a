// libssh2's public headers, seen by Swift as the CLibSSH2 module.
// Function-like macros (libssh2_channel_open_session, libssh2_channel_exec, ...)
// are not imported into Swift: callers use the *_ex functions they expand to.
#include <libssh2.h>
