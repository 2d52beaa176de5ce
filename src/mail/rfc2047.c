/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RFC 2047 encoded-words: decoded in runs, or merged before GMime decodes
 * them. */
#include "config.h"

#include <string.h>

#include "mail-private.h"

/*
 * Senders split one string into several encoded-words anywhere, even inside
 * a multibyte character ("=?UTF-8?B?5Li05pe2?= =?UTF-8?B?6ZmQ?=" with the
 * bytes of one character on both sides).  Decoded one by one, each half is
 * invalid and the character is lost.  RFC 2047 drops the white space between
 * adjacent encoded-words anyway, so joining the bytes of a run of words in
 * the same charset into one B-word loses nothing and keeps the character.
 */

typedef struct {
	const char *start, *end; /* the whole word in the input */
	char *charset;		 /* without an RFC 2231 language */
	GByteArray *bytes;	 /* decoded payload */
} Word;

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = g_ascii_toupper(c);
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse an encoded-word at @p; FALSE if there is none. */
static gboolean
parse_word(const char *p, Word *w)
{
	if (p[0] != '=' || p[1] != '?')
		return FALSE;
	const char *cs = p + 2;
	const char *q1 = strchr(cs, '?');
	if (q1 == NULL || q1 == cs || q1[1] == '\0' || q1[2] != '?')
		return FALSE;
	char enc = g_ascii_toupper(q1[1]);
	if (enc != 'B' && enc != 'Q')
		return FALSE;
	const char *text = q1 + 3;
	const char *close = strstr(text, "?=");
	if (close == NULL)
		return FALSE;
	for (const char *c = cs; c < close; c++)
		if (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n')
			return FALSE;

	const char *star = memchr(cs, '*', q1 - cs);
	w->start = p;
	w->end = close + 2;
	w->charset = g_strndup(cs, (star ? star : q1) - cs);
	w->bytes = g_byte_array_new();
	if (enc == 'B' && close - text >= 2) {
		g_autofree char *b64 = g_strndup(text, close - text);
		gsize n = 0;
		g_base64_decode_inplace(b64, &n);
		g_byte_array_append(w->bytes, (const guint8 *)b64, (guint)n);
	} else if (enc == 'Q') {
		for (const char *c = text; c < close; c++) {
			guint8 b = (guint8)*c;
			if (*c == '_') {
				b = ' ';
			} else if (*c == '=' && c + 2 < close &&
				   hexval(c[1]) >= 0 && hexval(c[2]) >= 0) {
				b = (guint8)(hexval(c[1]) * 16 + hexval(c[2]));
				c += 2;
			}
			g_byte_array_append(w->bytes, &b, 1);
		}
	}
	return TRUE;
}

static void
word_clear(Word *w)
{
	g_free(w->charset);
	if (w->bytes != NULL)
		g_byte_array_unref(w->bytes);
	*w = (Word){0};
}

static void
flush(GString *out, Word *run, guint count)
{
	if (count == 1) {
		g_string_append_len(out, run->start, run->end - run->start);
	} else if (count > 1) {
		g_autofree char *b64 =
			g_base64_encode(run->bytes->data, run->bytes->len);
		g_string_append_printf(out, "=?%s?B?%s?=", run->charset, b64);
	}
	word_clear(run);
}

char *
tw_mail_rfc2047_merge(const char *value)
{
	if (strstr(value, "=?") == NULL)
		return g_strdup(value);

	GString *out = g_string_sized_new(strlen(value));
	Word run = {0};
	guint count = 0;
	const char *p = value;

	while (*p) {
		Word w = {0};
		if (!parse_word(p, &w)) {
			/* white space between two words is not text */
			const char *q = p;
			while (*q == ' ' || *q == '\t' || *q == '\r' ||
			       *q == '\n')
				q++;
			Word next = {0};
			if (q > p && count > 0 && parse_word(q, &next) &&
			    g_ascii_strcasecmp(next.charset, run.charset) ==
				    0) {
				word_clear(&next);
				p = q;
				continue;
			}
			word_clear(&next);
			flush(out, &run, count);
			count = 0;
			g_string_append_len(out, p, q > p ? q - p : 1);
			p = q > p ? q : p + 1;
			continue;
		}
		if (count > 0 &&
		    g_ascii_strcasecmp(w.charset, run.charset) == 0) {
			g_byte_array_append(run.bytes, w.bytes->data,
					    w.bytes->len);
			run.end = w.end;
			count++;
			p = w.end;
			word_clear(&w);
			continue;
		}
		flush(out, &run, count);
		run = w;
		count = 1;
		p = w.end;
	}
	flush(out, &run, count);
	return g_string_free(out, FALSE);
}

static gboolean
only_blanks(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return FALSE;
	return TRUE;
}

static void
append_raw(GString *out, const char *p, gsize n)
{
	if (n == 0)
		return;
	if (g_utf8_validate(p, (gssize)n, NULL)) {
		g_string_append_len(out, p, (gssize)n);
		return;
	}
	const char *used;
	gboolean bad;
	g_autofree char *text = tw_mail_charset_decode(p, n, NULL, &used, &bad);
	g_string_append(out, text);
}

static void
append_run(GString *out, Word *run, gboolean *bad_r)
{
	const char *used;
	gboolean bad = FALSE;
	g_autofree char *text = tw_mail_charset_decode(
		(const char *)run->bytes->data, run->bytes->len, run->charset,
		&used, &bad);
	*bad_r |= bad;
	g_string_append(out, text);
	word_clear(run);
}

char *
tw_mail_rfc2047_decode(const char *value, gboolean *bad_r)
{
	GString *out = g_string_sized_new(strlen(value));
	Word run = {0};
	gboolean in_run = FALSE;
	const char *p = value;
	const char *text = value; /* raw text not written out yet */

	*bad_r = FALSE;
	while (*p) {
		Word w = {0};
		if (!parse_word(p, &w)) {
			p++;
			continue;
		}
		/* white space between two encoded-words is not text */
		if (!in_run || !only_blanks(text, p)) {
			if (in_run) {
				append_run(out, &run, bad_r);
				in_run = FALSE;
			}
			append_raw(out, text, (gsize)(p - text));
		}
		p = text = w.end;
		if (in_run && g_ascii_strcasecmp(run.charset, w.charset) == 0) {
			g_byte_array_append(run.bytes, w.bytes->data,
					    w.bytes->len);
			word_clear(&w);
			continue;
		}
		if (in_run)
			append_run(out, &run, bad_r);
		run = w;
		in_run = TRUE;
	}
	if (in_run)
		append_run(out, &run, bad_r);
	append_raw(out, text, (gsize)(p - text));
	return g_string_free(out, FALSE);
}
