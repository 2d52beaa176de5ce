/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal interfaces between the files of src/mail. */
#ifndef TROWATCH_MAIL_PRIVATE_H
#define TROWATCH_MAIL_PRIVATE_H

#include <glib.h>

#include "trowatch/model.h"

/*
 * charset.c: bytes in a declared charset (or NULL) to UTF-8, with the
 * fallbacks UTF-8, GB18030, Windows-1252.  *used_r is a static name of what
 * the text was decoded from; *bad_r is set when the declared charset could
 * not be used for text that needed one.  Never fails.
 */
char *tw_mail_charset_decode(const char *data, gsize len, const char *charset,
			     const char **used_r, gboolean *bad_r);

/* The charset a <meta> tag declares in the first bytes of HTML, or NULL. */
char *tw_mail_charset_sniff_html(const char *data, gsize len);

/*
 * html.c: HTML (UTF-8) to text: block elements as line breaks, table cells
 * separated, script and style dropped.  Link targets are added to @uris.
 */
char *tw_mail_html_to_text(const char *html, gsize len, GPtrArray *uris,
			   GHashTable *seen);

/* uri.c: add the URI @text to @uris unless @seen has it. */
void tw_mail_uri_add(GPtrArray *uris, GHashTable *seen, const char *text);
/* uri.c: every http(s) URI and www. name in plain @text. */
void tw_mail_uri_scan_text(GPtrArray *uris, GHashTable *seen, const char *text);

/*
 * rfc2047.c: an unstructured header value (unfolded) in UTF-8.  Each run
 * of adjacent encoded-words in one charset is decoded as one, through
 * tw_mail_charset_decode(), so that a character split between words
 * survives and a wrong or unknown charset falls back as in a body, setting
 * *bad_r; raw 8-bit text is read as UTF-8, else with the same fallbacks
 * (the parser flags 8bit-header for it).
 */
char *tw_mail_rfc2047_decode(const char *value, gboolean *bad_r);

/* rfc2047.c: @value with each run of adjacent encoded-words in one charset
 * joined into one, so a character split between words survives decoding. */
char *tw_mail_rfc2047_merge(const char *value);

/* domain.c: the public suffix list, loaded by tw_mail_init(). */
void tw_mail_domain_init(void);
void tw_mail_domain_shutdown(void);

#endif
