/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text folding (NFKC, white space) and escaping of untrusted text. */
#include "config.h"

#include <string.h>

#include "trowatch/util.h"

/*
 * Characters that hide inside words without showing: zero-width space and
 * joiners, word joiner, BOM, soft hyphen.  Senders (and obfuscators) put them
 * in phrases; folding drops them so the phrase matches.
 */
static gboolean
is_invisible(gunichar c)
{
	return c == 0x00AD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 ||
	       c == 0xFEFF;
}

char *
tw_util_text_fold(const char *text, gssize len)
{
	g_autofree char *nfkc = g_utf8_normalize(text, len, G_NORMALIZE_NFKC);
	if (nfkc == NULL) /* invalid UTF-8: callers promise it never is */
		return g_strdup("");

	GString *out = g_string_sized_new(strlen(nfkc));
	gboolean pending_space = FALSE;
	for (const char *p = nfkc; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c == 0x85) {
			pending_space = out->len > 0;
			continue;
		}
		if (is_invisible(c))
			continue;
		if (pending_space) {
			g_string_append_c(out, ' ');
			pending_space = FALSE;
		}
		g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	return g_string_free(out, FALSE);
}

void
tw_util_escape_append(GString *out, const char *text, gssize len)
{
	const char *p = text;
	const char *end = text + (len < 0 ? (gssize)strlen(text) : len);

	while (p < end) {
		const char *next;
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02X", (guchar)*p);
			p++;
			continue;
		}
		next = g_utf8_next_char(p);
		switch (c) {
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		default:
			if (c < 0x20 || c == 0x7F)
				g_string_append_printf(out, "\\x%02X", c);
			else if ((c >= 0x80 && c < 0xA0) || c == 0x2028 ||
				 c == 0x2029 ||
				 g_unichar_type(c) == G_UNICODE_FORMAT)
				g_string_append_printf(out, "\\u{%04X}", c);
			else
				g_string_append_len(out, p, next - p);
		}
		p = next;
	}
}

char *
tw_util_escape(const char *text, gssize len)
{
	GString *out = g_string_new(NULL);
	tw_util_escape_append(out, text, len);
	return g_string_free(out, FALSE);
}
