/*
 * CTLS: OpenSSL's libssl driven through two memory BIOs (see include/ctls.h).
 *
 * Why memory BIOs: the bytes travel over an SSH direct-tcpip channel in production, so OpenSSL
 * must never own a socket. `in` holds what the server sent and we have not consumed yet; `out`
 * holds what OpenSSL wants sent. The Swift side moves bytes between them and its stream.
 */
#define _DEFAULT_SOURCE 1  /* timegm */
#include "ctls.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

struct ctls_context {
    SSL_CTX *ctx;
    int verify;
};

struct ctls_client {
    SSL *ssl;          /* owns `in` and `out` (SSL_set_bio) */
    BIO *in;
    BIO *out;
    X509 *leaf;        /* the server's leaf certificate, one reference held, or NULL */
    GENERAL_NAMES *san;
    int eof;
    int shutdown_sent;
    char error[256];
};

/* TLS 1.3 suites a learned probe offers: the defaults plus the two CCM ones, so a server
   configured for CCM only is still observed. */
static const char *learn_suites =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
    "TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256";

static void copy_text(char *dst, size_t cap, const char *src) {
    if (dst == NULL || cap == 0) return;
    snprintf(dst, cap, "%s", src == NULL ? "" : src);
}

/* The reason of the most telling queued error: the last one of the SSL library (its summary:
   "tlsv1 alert protocol version", "wrong version number"), else the first of any library.
   Empties the queue. */
static void take_error(char *dst, size_t cap, const char *fallback) {
    unsigned long code, first = 0, last_ssl = 0;
    while ((code = ERR_get_error()) != 0) {
        if (first == 0) first = code;
        if (ERR_GET_LIB(code) == ERR_LIB_SSL) last_ssl = code;
    }
    unsigned long chosen = last_ssl != 0 ? last_ssl : first;
    if (chosen == 0) {
        copy_text(dst, cap, fallback);
        return;
    }
    const char *reason = ERR_reason_error_string(chosen);
    if (reason != NULL) {
        copy_text(dst, cap, reason);
    } else {
        char line[256];
        ERR_error_string_n(chosen, line, sizeof line);
        copy_text(dst, cap, line);
    }
}

static int is_ip_literal(const char *name) {
    unsigned char scratch[16];
    return inet_pton(AF_INET, name, scratch) == 1 || inet_pton(AF_INET6, name, scratch) == 1;
}

static SSL_CTX *make_context(const ctls_options *options, char *err, size_t errlen) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) {
        take_error(err, errlen, "cannot create a TLS context");
        return NULL;
    }
    /* No renegotiation: a HelloRequest mid-stream would make a write wait for a read.
       An unexpected end of stream reads as end of stream, as the peer closing does. */
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    /* Verification runs in every mode and its result is kept; a failure is reported after the
       handshake (with what the server sent) instead of aborting it. */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    if (options->verify) {
        /* A declared check wants today's TLS: 1.2 upwards, at the system's security level. */
        /* The CA file first: a wrong one fails before the slow system store is read. */
        if (options->ca_file != NULL && SSL_CTX_load_verify_locations(ctx, options->ca_file, NULL) != 1) {
            char reason[200];
            take_error(reason, sizeof reason, "not a PEM file of certificates");
            snprintf(err, errlen, "cannot read the CA file %s (%s): give a PEM file of CA certificates",
                     options->ca_file, reason);
            SSL_CTX_free(ctx);
            return NULL;
        }
        if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 || SSL_CTX_set_default_verify_paths(ctx) != 1) {
            take_error(err, errlen, "cannot load the system trust store");
            SSL_CTX_free(ctx);
            return NULL;
        }
    } else {
        /* Learned probes observe whatever the server speaks: every version from TLS 1.0, every
           cipher, weak keys and SHA-1 signatures, servers without secure renegotiation. */
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
        if (SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) != 1
            || SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") != 1
            || SSL_CTX_set_ciphersuites(ctx, learn_suites) != 1) {
            take_error(err, errlen, "cannot configure the TLS context");
            SSL_CTX_free(ctx);
            return NULL;
        }
    }
    return ctx;
}

/* Zeroed memory for a new object, with a clean error queue and message. */
static void *allocate(size_t size, char *err, size_t errlen) {
    copy_text(err, errlen, "");
    ERR_clear_error();
    void *memory = calloc(1, size);
    if (memory == NULL) copy_text(err, errlen, "out of memory");
    return memory;
}

ctls_context *ctls_context_new(const ctls_options *options, char *err, size_t errlen) {
    ctls_context *context = allocate(sizeof *context, err, errlen);
    if (context == NULL) return NULL;
    context->ctx = make_context(options, err, errlen);
    if (context->ctx == NULL) {
        free(context);
        return NULL;
    }
    context->verify = options->verify != 0;
    return context;
}

void ctls_context_free(ctls_context *context) {
    if (context == NULL) return;
    SSL_CTX_free(context->ctx);
    free(context);
}

ctls_client *ctls_new(ctls_context *context, const char *name, char *err, size_t errlen) {
    ctls_client *c = allocate(sizeof *c, err, errlen);
    if (c == NULL) return NULL;
    c->ssl = SSL_new(context->ctx);  /* holds its own reference to the context */
    c->in = BIO_new(BIO_s_mem());
    c->out = BIO_new(BIO_s_mem());
    if (c->ssl == NULL || c->in == NULL || c->out == NULL) {
        take_error(err, errlen, "cannot create a TLS session");
        BIO_free(c->in);
        BIO_free(c->out);
        SSL_free(c->ssl);
        free(c);
        return NULL;
    }
    /* An empty input buffer means "more may come", until ctls_feed_eof. */
    BIO_set_mem_eof_return(c->in, -1);
    SSL_set_bio(c->ssl, c->in, c->out);
    SSL_set_connect_state(c->ssl);

    int ok = 1;
    if (name != NULL && name[0] != '\0') {
        if (is_ip_literal(name)) {
            /* RFC 6066: no SNI for addresses. */
            if (context->verify) ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), name) == 1;
        } else {
            ok = SSL_set_tlsext_host_name(c->ssl, name) == 1;
            if (ok && context->verify) ok = SSL_set1_host(c->ssl, name) == 1;
        }
    }
    if (!ok) {
        char reason[200];
        take_error(reason, sizeof reason, "rejected");
        snprintf(err, errlen, "cannot use the server name '%s': %s", name, reason);
        ctls_free(c);
        return NULL;
    }
    return c;
}

void ctls_free(ctls_client *c) {
    if (c == NULL) return;
    GENERAL_NAMES_free(c->san);
    X509_free(c->leaf);
    SSL_free(c->ssl);  /* frees both BIOs */
    free(c);
}

int ctls_feed(ctls_client *c, const uint8_t *bytes, size_t count) {
    while (count > 0) {
        int chunk = count > 65536 ? 65536 : (int)count;
        if (BIO_write(c->in, bytes, chunk) != chunk) return 0;
        bytes += chunk;
        count -= (size_t)chunk;
    }
    return 1;
}

void ctls_feed_eof(ctls_client *c) {
    c->eof = 1;
    BIO_set_mem_eof_return(c->in, 0);
}

size_t ctls_input_pending(const ctls_client *c) { return BIO_ctrl_pending(c->in); }

size_t ctls_output_pending(const ctls_client *c) { return BIO_ctrl_pending(c->out); }

size_t ctls_take_output(ctls_client *c, uint8_t *buf, size_t cap) {
    if (cap == 0) return 0;
    int got = BIO_read(c->out, buf, cap > 65536 ? 65536 : (int)cap);
    return got > 0 ? (size_t)got : 0;
}

/* Keeps the leaf certificate once the server has sent one: the peer certificate after a
   handshake, else the first of the chain it sent (a handshake that failed later still shows it). */
static void keep_leaf(ctls_client *c) {
    if (c->leaf != NULL) return;
    X509 *leaf = SSL_get1_peer_certificate(c->ssl);
    if (leaf == NULL) {
        STACK_OF(X509) *chain = SSL_get_peer_cert_chain(c->ssl);
        if (chain != NULL && sk_X509_num(chain) > 0) {
            leaf = sk_X509_value(chain, 0);
            X509_up_ref(leaf);
        }
    }
    if (leaf == NULL) return;
    c->leaf = leaf;
    c->san = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
    ERR_clear_error();  /* a malformed extension is just "no SAN" */
}

ctls_status ctls_handshake(ctls_client *c) {
    ERR_clear_error();
    int result = SSL_do_handshake(c->ssl);
    if (result == 1) {
        keep_leaf(c);
        return CTLS_OK;
    }
    int why = SSL_get_error(c->ssl, result);
    if (why == SSL_ERROR_WANT_READ && !c->eof) return CTLS_WANT_INPUT;
    take_error(c->error, sizeof c->error,
               c->eof ? "the stream ended during the handshake" : "the handshake failed");
    keep_leaf(c);  /* after take_error: it clears the queue */
    return CTLS_FAILED;
}

ctls_status ctls_read(ctls_client *c, uint8_t *buf, size_t cap, size_t *got) {
    *got = 0;
    ERR_clear_error();
    if (SSL_read_ex(c->ssl, buf, cap, got) == 1) return CTLS_OK;
    switch (SSL_get_error(c->ssl, 0)) {
    case SSL_ERROR_WANT_READ:
        return c->eof ? CTLS_CLOSED : CTLS_WANT_INPUT;
    case SSL_ERROR_ZERO_RETURN:
        return CTLS_CLOSED;
    default:
        take_error(c->error, sizeof c->error, "reading failed");
        return CTLS_FAILED;
    }
}

ctls_status ctls_write(ctls_client *c, const uint8_t *bytes, size_t count) {
    ERR_clear_error();
    size_t written = 0;
    if (count == 0) return CTLS_OK;
    if (SSL_write_ex(c->ssl, bytes, count, &written) == 1 && written == count) return CTLS_OK;
    take_error(c->error, sizeof c->error, "writing failed");
    return CTLS_FAILED;
}

void ctls_shutdown(ctls_client *c) {
    if (c->shutdown_sent || !SSL_is_init_finished(c->ssl)) return;
    c->shutdown_sent = 1;
    ERR_clear_error();
    SSL_shutdown(c->ssl);
    ERR_clear_error();
}

/* RFC 2253 one line, UTF-8 kept as is (the Swift side sanitizes). */
static int name_text(const X509_NAME *name, char *buf, size_t cap) {
    BIO *mem = BIO_new(BIO_s_mem());
    if (mem == NULL) return -1;
    int length = -1;
    if (X509_NAME_print_ex(mem, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *data = NULL;
        long size = BIO_get_mem_data(mem, &data);
        if (size >= 0) {
            if (cap > 0) {
                size_t n = (size_t)size < cap - 1 ? (size_t)size : cap - 1;
                memcpy(buf, data, n);
                buf[n] = '\0';
            }
            length = (int)size;
        }
    }
    BIO_free(mem);
    ERR_clear_error();
    return length;
}

static int put_text(const char *text, char *buf, size_t cap) {
    if (text == NULL) return -1;
    copy_text(buf, cap, text);
    return (int)strlen(text);
}

int ctls_text(const ctls_client *c, ctls_field field, char *buf, size_t cap) {
    if (cap > 0) buf[0] = '\0';
    switch (field) {
    case CTLS_VERSION:
        return SSL_is_init_finished(c->ssl) ? put_text(SSL_get_version(c->ssl), buf, cap) : -1;
    case CTLS_CIPHER: {
        const SSL_CIPHER *cipher = SSL_get_current_cipher(c->ssl);
        return cipher == NULL ? -1 : put_text(SSL_CIPHER_get_name(cipher), buf, cap);
    }
    case CTLS_SUBJECT:
        return c->leaf == NULL ? -1 : name_text(X509_get_subject_name(c->leaf), buf, cap);
    case CTLS_ISSUER:
        return c->leaf == NULL ? -1 : name_text(X509_get_issuer_name(c->leaf), buf, cap);
    case CTLS_SHA256: {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        if (c->leaf == NULL || X509_digest(c->leaf, EVP_sha256(), md, &size) != 1) {
            ERR_clear_error();
            return -1;
        }
        char hex[2 * EVP_MAX_MD_SIZE + 1];
        for (unsigned int i = 0; i < size; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
        hex[2 * size] = '\0';
        return put_text(hex, buf, cap);
    }
    case CTLS_VERIFY_RESULT:
        if (c->leaf == NULL) return -1;
        return put_text(X509_verify_cert_error_string(SSL_get_verify_result(c->ssl)), buf, cap);
    case CTLS_ERROR:
        return c->error[0] == '\0' ? -1 : put_text(c->error, buf, cap);
    }
    return -1;
}

int ctls_has_certificate(const ctls_client *c) { return c->leaf != NULL; }

static int unix_seconds(const ASN1_TIME *time, int64_t *out) {
    struct tm parts;
    memset(&parts, 0, sizeof parts);
    if (time == NULL || ASN1_TIME_to_tm(time, &parts) != 1) {
        ERR_clear_error();
        return 0;
    }
    *out = (int64_t)timegm(&parts);
    return 1;
}

int ctls_validity(const ctls_client *c, int64_t *not_before, int64_t *not_after) {
    if (c->leaf == NULL) return 0;
    int a = unix_seconds(X509_get0_notBefore(c->leaf), not_before);
    int b = unix_seconds(X509_get0_notAfter(c->leaf), not_after);
    return a && b;
}

/* The index-th DNS or IP entry, skipping the other kinds (email, URI, ...). */
static const GENERAL_NAME *san_entry(const ctls_client *c, int index) {
    if (c->san == NULL) return NULL;
    int seen = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(c->san); i++) {
        const GENERAL_NAME *entry = sk_GENERAL_NAME_value(c->san, i);
        if (entry->type != GEN_DNS && entry->type != GEN_IPADD) continue;
        if (seen++ == index) return entry;
    }
    return NULL;
}

int ctls_san_count(const ctls_client *c) {
    int count = 0;
    while (san_entry(c, count) != NULL) count++;
    return count;
}

int ctls_san(const ctls_client *c, int index, char *buf, size_t cap) {
    if (cap > 0) buf[0] = '\0';
    const GENERAL_NAME *entry = san_entry(c, index);
    if (entry == NULL) return -1;
    if (entry->type == GEN_DNS) {
        /* IA5String bytes, possibly with a NUL inside: copied as they are, length returned. */
        const ASN1_IA5STRING *dns = entry->d.dNSName;
        int length = ASN1_STRING_length(dns);
        if (cap > 0) {
            size_t n = (size_t)length < cap - 1 ? (size_t)length : cap - 1;
            memcpy(buf, ASN1_STRING_get0_data(dns), n);
            buf[n] = '\0';
        }
        return length;
    }
    const ASN1_OCTET_STRING *ip = entry->d.iPAddress;
    char text[INET6_ADDRSTRLEN];
    int length = ASN1_STRING_length(ip);
    int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
    if (family == 0 || inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text) == NULL) {
        return put_text("(malformed IP address)", buf, cap);
    }
    return put_text(text, buf, cap);
}
