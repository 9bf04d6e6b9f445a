/*
 * CTLS: a TLS client over memory buffers, for PostPatch's probes.
 *
 * OpenSSL never sees a socket: the caller feeds the bytes it received from the server with
 * ctls_feed, takes the bytes to send with ctls_take_output, and moves them over whatever stream
 * it has (an SSH direct-tcpip channel, a loopback socket). Every call is non-blocking and does a
 * little CPU work at most. A handle is used by one thread at a time and freed once with
 * ctls_free. OpenSSL's thread-local error queue is cleared before and read right after each
 * call, so callers never touch it: errors come back as text from ctls_text(CTLS_ERROR).
 */
#ifndef CTLS_H
#define CTLS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctls_context ctls_context;
typedef struct ctls_client ctls_client;

typedef struct {
    /* Nonzero: TLS 1.2 upwards, trusting the system store plus ca_file, and the client's
       server name must match the certificate. Zero (learned probes): security level 0 and TLS
       1.0 upwards, so old servers are observed, not refused. Either way the chain is checked
       and the result kept for ctls_text(CTLS_VERIFY_RESULT); the caller decides what it means. */
    int verify;
    /* A PEM file of extra trusted CAs; NULL for none. */
    const char *ca_file;
} ctls_options;

/* Outcome of a step of the handshake, or of a read or write of application data. */
typedef enum {
    CTLS_OK = 0,         /* handshake done / data moved */
    CTLS_WANT_INPUT = 1, /* feed more server bytes (after sending the pending output) */
    CTLS_CLOSED = 2,     /* the server sent close_notify, or its stream ended (ctls_feed_eof) */
    CTLS_FAILED = -1     /* fatal; ctls_text(CTLS_ERROR) says why */
} ctls_status;

typedef enum {
    CTLS_VERSION = 0,       /* "TLSv1.3" */
    CTLS_CIPHER = 1,        /* OpenSSL name: "TLS_AES_256_GCM_SHA384", "ECDHE-RSA-AES128-GCM-SHA256" */
    CTLS_SUBJECT = 2,       /* leaf certificate, RFC 2253, UTF-8 */
    CTLS_ISSUER = 3,
    CTLS_SHA256 = 4,        /* of the leaf's DER, lowercase hex */
    CTLS_VERIFY_RESULT = 5, /* "ok", "certificate has expired", "hostname mismatch", ... */
    CTLS_ERROR = 6          /* the last failure: "tlsv1 alert protocol version", ... */
} ctls_field;

/* The settings clients share (loading the system trust store takes a tenth of a second, so
   a context is made once and used for many clients, from any thread), or NULL with the reason
   in err (NUL-terminated, at most errlen bytes). */
ctls_context *ctls_context_new(const ctls_options *options, char *err, size_t errlen);
/* Drops the caller's reference; clients made from it keep theirs. NULL is ignored. */
void ctls_context_free(ctls_context *context);

/* A new client. server_name (NULL for none) is sent as SNI and, when the context verifies, is
   the name the certificate must carry; an IP literal sends no SNI and is checked against the
   certificate's IP addresses. NULL with the reason in err on failure. */
ctls_client *ctls_new(ctls_context *context, const char *server_name, char *err, size_t errlen);
/* Frees the client and everything it holds; NULL is ignored. */
void ctls_free(ctls_client *client);

/* Appends server bytes to the input buffer; returns 1, or 0 when memory ran out. */
int ctls_feed(ctls_client *client, const uint8_t *bytes, size_t count);
/* The server's stream ended: reads past the buffered input see end of stream. */
void ctls_feed_eof(ctls_client *client);
/* Server bytes fed but not consumed yet. */
size_t ctls_input_pending(const ctls_client *client);

/* Bytes waiting to be sent to the server. */
size_t ctls_output_pending(const ctls_client *client);
/* Moves up to cap pending bytes into buf; returns how many. */
size_t ctls_take_output(ctls_client *client, uint8_t *buf, size_t cap);

/* Advances the handshake as far as the input allows: CTLS_OK, CTLS_WANT_INPUT or CTLS_FAILED
   (CTLS_CLOSED counts as failed: the stream ended mid-handshake). */
ctls_status ctls_handshake(ctls_client *client);

/* Decrypts application data into buf. CTLS_OK with *got > 0, CTLS_WANT_INPUT, CTLS_CLOSED or
   CTLS_FAILED. Post-handshake messages (TLS 1.3 session tickets) are handled inside. */
ctls_status ctls_read(ctls_client *client, uint8_t *buf, size_t cap, size_t *got);
/* Encrypts all of count bytes into the output buffer: CTLS_OK or CTLS_FAILED. */
ctls_status ctls_write(ctls_client *client, const uint8_t *bytes, size_t count);
/* Queues close_notify in the output buffer (best effort, once). */
void ctls_shutdown(ctls_client *client);

/* Copies a text field into buf, NUL-terminated, cut to cap - 1 bytes; returns the field's full
   length, or -1 when there is no such value (no certificate, no error). */
int ctls_text(const ctls_client *client, ctls_field field, char *buf, size_t cap);
/* Nonzero when the server sent a certificate (also after a failed verification). */
int ctls_has_certificate(const ctls_client *client);
/* The leaf's validity as UNIX seconds; returns 1 when both were read. */
int ctls_validity(const ctls_client *client, int64_t *not_before, int64_t *not_after);
/* The number of DNS and IP entries of the leaf's subjectAltName. */
int ctls_san_count(const ctls_client *client);
/* One entry ("www.example.test", "192.0.2.1", "2001:db8::1"), as ctls_text. */
int ctls_san(const ctls_client *client, int index, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
