/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text of any charset to UTF-8: the declared one first, then fallbacks. */
#include "config.h"

#include <gmime/gmime.h>
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

/* Strict conversion: NULL unless every byte is valid in @charset. */
static char *
convert_strict(const char *data, gsize len, const char *charset)
{
	if (g_ascii_strcasecmp(charset, "UTF-8") == 0)
		return g_utf8_validate(data, (gssize)len, NULL)
			       ? g_strndup(data, len)
			       : NULL;
	gsize written = 0;
	char *out = g_convert(data, (gssize)len, "UTF-8", charset, NULL,
			      &written, NULL);
	if (out != NULL && !g_utf8_validate(out, (gssize)written, NULL)) {
		g_free(out);
		return NULL;
	}
	return out;
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
