/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mail: raw bytes to a message view (GMime, libxml2's HTML parser, libpsl).
 * No GMime, libxml2 or libpsl type crosses this header.
 */
#ifndef TROWATCH_MAIL_H
#define TROWATCH_MAIL_H

#include <glib.h>

#include "trowatch/model.h"

G_BEGIN_DECLS

/*
 * Once per process, before any other call; tw_mail_shutdown() at exit (it
 * only frees memory, so leak checkers stay quiet).  Not thread-safe.
 */
void tw_mail_init(void);
void tw_mail_shutdown(void);

/*
 * TRUE when @data starts like a message: a header field ("Name:" with a
 * printable field name) before the first blank line and within the first
 * 64 KiB.  An mbox "From " line in front is allowed.
 */
gboolean tw_mail_looks_like_mail(const char *data, gsize len);

/*
 * Build the view of the message in @data (@len bytes; not NUL-terminated).
 * When @len exceeds limits->message_size only that much is read and the view
 * is flagged `truncated`; callers that read a bounded prefix pass one byte
 * more than the limit so that the flag is set.  Over any other limit the
 * parser uses what fits, sets the flag and goes on.  Never fails: anything
 * that is not a message gives a view with what could be read.  The caller
 * owns the result.
 */
TwView *tw_mail_view_new(const char *data, gsize len, const TwLimits *limits);

/* The registrable domain of @host (lower-cased), or @host itself when the
 * public suffix list has none (IP literals, single labels).  Newly allocated. */
char *tw_mail_registrable_domain(const char *host);

/*
 * The first @name field (case-insensitive) of the message's header as it
 * is written, unfolded and trimmed, or NULL.  For the fields the view hides
 * from rules: X-Trowatch-Expect labels and the verdict headers.
 */
char *tw_mail_header_field(const char *data, gsize len, const char *name);

/*
 * A stable, line-oriented text dump of everything in the view, for people
 * (`scan --dump-view`) and golden tests.  Appends to @out.
 */
void tw_mail_view_dump(const TwView *view, GString *out);

G_END_DECLS

#endif
