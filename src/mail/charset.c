/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text of any charset to UTF-8: the declared one first, then fallbacks. */
#include "config.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <string.h>

#include "mail-private.h"

static gboolean
is_ascii(const char *data, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if ((guchar)data[i] >= 0x80)
			return FALSE;
	return TRUE;
}

/* Charsets whose text may contain NUL bytes legitimately. */
static gboolean
is_wide(const char *charset)
{
	return g_ascii_strncasecmp(charset, "UTF-16", 6) == 0 ||
	       g_ascii_strncasecmp(charset, "UTF-32", 6) == 0 ||
	       g_ascii_strncasecmp(charset, "UCS-", 4) == 0 ||
	       g_ascii_strncasecmp(charset, "UNICODE", 7) == 0;
}

/*
 * Strict conversion: NULL unless every byte is valid in @charset.  GMime's
 * iconv cache keeps converters open: opening one per part made glibc load
 * and unload its gconv modules for every message.
 */
static char *
convert_strict(const char *data, gsize len, const char *charset)
{
	if (g_ascii_strcasecmp(charset, "UTF-8") == 0)
		return g_utf8_validate(data, (gssize)len, NULL)
			       ? g_strndup(data, len)
			       : NULL;
	iconv_t cd = g_mime_iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return NULL;

	gsize cap = len * 2 + 16;
	char *out = g_malloc(cap + 4);
	char *in = (char *)data;
	gsize in_left = len;
	char *o = out;
	gsize o_left = cap;
	gboolean ok = TRUE;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &o_left) != (size_t)-1)
			continue;
		if (errno != E2BIG) {
			ok = FALSE; /* EILSEQ or EINVAL: not this charset */
			break;
		}
		gsize used = (gsize)(o - out);
		cap *= 2;
		out = g_realloc(out, cap + 4);
		o = out + used;
		o_left = cap - used;
	}
	/* flush a stateful encoding (ISO-2022-JP) back to its initial state */
	if (ok && iconv(cd, NULL, NULL, &o, &o_left) == (size_t)-1)
		ok = FALSE;
	g_mime_iconv_close(cd);
	if (!ok) {
		g_free(out);
		return NULL;
	}
	*o = '\0';
	if (!g_utf8_validate(out, o - out, NULL)) {
		g_free(out);
		return NULL;
	}
	return out;
}

/*
 * UTF-8 with a few stray bytes (a cut, a bad edit, one Latin-1 byte in
 * Chinese text): read as GB18030, which takes almost any bytes, all of it
 * would turn to nonsense; read as UTF-8, only the stray bytes are lost.
 * Text in another charset is valid UTF-8 only by accident, far less often.
 */
static gboolean
nearly_utf8(const char *data, gsize len)
{
	gsize good = 0, bad = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *stop = end;
		g_utf8_validate_len(p, (gsize)(end - p), &stop);
		for (const char *q = p; q < stop; q++)
			good += (guchar)*q >= 0x80;
		if (stop >= end)
			break;
		bad++;
		p = stop + 1;
	}
	return good >= 8 && bad * 10 <= good;
}

char *
tw_mail_charset_decode(const char *data, gsize len, const char *charset,
		       const char **used_r, gboolean *bad_r)
{
	static const char *const fallbacks[] = {"UTF-8", "GB18030",
						"WINDOWS-1252"};
	g_autofree char *copy = NULL;
	const char *iconv_name = NULL;
	char *out;

	*bad_r = FALSE;
	if (len == 0) {
		*used_r = "us-ascii";
		return g_strdup("");
	}
	if (charset != NULL && *charset != '\0')
		iconv_name = g_mime_charset_iconv_name(charset);

	/* a NUL would end the C string early; mail text has no use for it */
	if (iconv_name == NULL || !is_wide(iconv_name)) {
		if (memchr(data, '\0', len) != NULL) {
			copy = g_memdup2(data, len);
			for (gsize i = 0; i < len; i++)
				if (copy[i] == '\0')
					copy[i] = ' ';
			data = copy;
		}
	}

	if (iconv_name != NULL) {
		out = convert_strict(data, len, iconv_name);
		if (out != NULL) {
			*used_r = g_intern_string(iconv_name);
			return out;
		}
	}
	/* No usable label: plain ASCII reads the same in any of them, so
	 * a missing or unknown label on it is no anomaly. */
	if (is_ascii(data, len)) {
		*used_r = "us-ascii";
		return g_strndup(data, len);
	}
	*bad_r = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(fallbacks); i++) {
		out = convert_strict(data, len, fallbacks[i]);
		if (out != NULL) {
			*used_r = fallbacks[i];
			return out;
		}
		if (i == 0 && nearly_utf8(data, len)) {
			*used_r = "UTF-8";
			return g_utf8_make_valid(data, (gssize)len);
		}
	}
	/* Windows-1252 leaves five bytes undefined: replace what is invalid. */
	*used_r = "invalid";
	return g_utf8_make_valid(data, (gssize)len);
}

char *
tw_mail_charset_sniff_html(const char *data, gsize len)
{
	gsize n = MIN(len, 4096);
	g_autofree char *head = g_ascii_strdown(data, (gssize)n);
	const char *p = head;

	while ((p = strstr(p, "<meta")) != NULL) {
		const char *end = strchr(p, '>');
		if (end == NULL)
			break;
		const char *cs = g_strstr_len(p, end - p, "charset");
		if (cs != NULL) {
			cs += 7;
			while (cs < end && (*cs == ' ' || *cs == '='))
				cs++;
			while (cs < end && (*cs == '"' || *cs == '\''))
				cs++;
			const char *e = cs;
			while (e < end && (g_ascii_isalnum(*e) || *e == '-' ||
					   *e == '_' || *e == '.' || *e == ':'))
				e++;
			if (e > cs)
				return g_strndup(cs, e - cs);
		}
		p = end;
	}
	return NULL;
}
