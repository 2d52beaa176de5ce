/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util: the common base every module may use: errors, logging, values, text. */
#ifndef TROWATCH_UTIL_H
#define TROWATCH_UTIL_H

#include <glib.h>

G_BEGIN_DECLS

/*
 * Errors.  Runtime errors travel as GError in the TW_ERROR domain; the code
 * says how the command line reports them (see tw_util_exit_code()).
 */
#define TW_ERROR (tw_util_error_quark())
typedef enum {
	TW_ERROR_FAILED,   /* anything else: EX_SOFTWARE */
	TW_ERROR_USAGE,	   /* bad command line: EX_USAGE (64) */
	TW_ERROR_DATA,	   /* input is not what it claims: EX_DATAERR (65) */
	TW_ERROR_NOINPUT,  /* input cannot be opened: EX_NOINPUT (66) */
	TW_ERROR_IO,	   /* read or write failed: EX_IOERR (74) */
	TW_ERROR_TEMPFAIL, /* try again later: EX_TEMPFAIL (75) */
	TW_ERROR_CONFIG,   /* bad configuration: EX_CONFIG (78) */
} TwErrorCode;

GQuark tw_util_error_quark(void);

/* The <sysexits.h> status for an error; EX_SOFTWARE for foreign domains. */
int tw_util_exit_code(const GError *error);

/*
 * Logging to stderr as "trowatch: ...", or to syslog (facility mail) once
 * tw_util_log_init() asked for it.  Verbosity: -1 quiet (errors only),
 * 0 normal (warnings and errors), 1 info, 2 debug.
 */
typedef enum {
	TW_LOG_ERROR,
	TW_LOG_WARNING,
	TW_LOG_INFO,
	TW_LOG_DEBUG,
} TwLogLevel;

void tw_util_log_init(int verbosity, gboolean use_syslog);
void tw_util_log(TwLogLevel level, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
#define tw_error(...)	tw_util_log(TW_LOG_ERROR, __VA_ARGS__)
#define tw_warning(...) tw_util_log(TW_LOG_WARNING, __VA_ARGS__)
#define tw_info(...)	tw_util_log(TW_LOG_INFO, __VA_ARGS__)
#define tw_debug(...)	tw_util_log(TW_LOG_DEBUG, __VA_ARGS__)

/*
 * Values as product.md writes them.  Sizes are N followed by K, M or G
 * (binary) or nothing (bytes); durations N followed by s, m, h or d, or a bare
 * number of seconds.  Both return FALSE with a TW_ERROR_CONFIG error that
 * quotes the text; the value is only written on success.
 */
gboolean tw_util_parse_size(const char *text, guint64 *bytes_r, GError **error);
gboolean tw_util_parse_duration(const char *text, gint64 *seconds_r,
				GError **error);
/* The shortest exact writing of a value: 16M, 512K, 1000; 2s, 6h, 90d. */
char *tw_util_format_size(guint64 bytes);
char *tw_util_format_duration(gint64 seconds);

/*
 * Text.  Every function takes and returns valid UTF-8.
 *
 * tw_util_text_fold(): Unicode NFKC, zero-width characters and soft hyphens
 * dropped, every run of white space as one space, no leading or trailing
 * space.  This is the form rules see as `subject` and `body`.
 */
char *tw_util_text_fold(const char *text, gssize len);

/*
 * Printable form of untrusted text for logs and dumps: control characters
 * (and invalid UTF-8 bytes, which should not occur) as \n, \t, \r, \xHH;
 * C1 controls, line separators and invisible format characters (zero-width
 * space, bidi overrides) as \u{XXXX}; backslash doubled; the rest as is.
 */
void tw_util_escape_append(GString *out, const char *text, gssize len);
char *tw_util_escape(const char *text, gssize len);

/* TRUE for 127.0.0.0/8, ::1 and "localhost". */
gboolean tw_util_host_is_loopback(const char *host);

G_END_DECLS

#endif
