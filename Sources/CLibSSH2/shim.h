// libssh2's public headers, seen by Swift as the CLibSSH2 module.
// Function-like macros (libssh2_channel_open_session, libssh2_channel_exec, ...)
// are not imported into Swift: callers use the *_ex functions they expand to.
#include <libssh2.h>

// libssh2 on Debian is built on OpenSSL's libcrypto (libssh2-1-dev depends on
// libssl-dev): its SHA-256 and HMAC-SHA1 give host-key fingerprints and match
// hashed known_hosts entries, so PostPatch carries no crypto of its own.
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
