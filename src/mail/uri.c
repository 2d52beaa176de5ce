/* SPDX-License-Identifier: GPL-3.0-or-later */
/* URIs in text and links: found, deduplicated, host and registrable domain. */
#include "config.h"

#include <string.h>

#include "mail-private.h"
#include "trowatch/mail.h"

/* A URI ends at white space, quotes or angle brackets. */
static gboolean
ends_uri(gunichar c)
{
	return c == 0 || g_unichar_isspace(c) || c == '<' || c == '>' ||
	       c == '"' || c == '\'' || c == '`' || c == 0x3000 ||
	       c == 0xFF0C || c == 0x3001 || c == 0x3002 || c == 0xFF08 ||
	       c == 0xFF09 || c == 0x300C || c == 0x300D;
}

static char *
host_of(const char *uri)
{
	g_autofree char *with_scheme = NULL;
	const char *text = uri;

	if (g_ascii_strncasecmp(uri, "www.", 4) == 0)
		text = with_scheme = g_strconcat("http://", uri, NULL);
	g_autoptr(GUri) parsed = g_uri_parse(
		text, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);
	if (parsed == NULL || g_uri_get_host(parsed) == NULL)
		return g_strdup("");
	const char *host = g_uri_get_host(parsed);
	if (!g_utf8_validate(host, -1, NULL))
		return g_strdup("");
	char *lower = g_utf8_strdown(host, -1);
	gsize len = strlen(lower);
	while (len > 0 && lower[len - 1] == '.')
		lower[--len] = '\0';
	return lower;
}

void
tw_mail_uri_add(GPtrArray *uris, GHashTable *seen, const char *text)
{
	g_autofree char *trimmed = g_strstrip(g_strdup(text));

	if (*trimmed == '\0' || g_hash_table_contains(seen, trimmed))
		return;
	g_autofree char *host = host_of(trimmed);
	/* "http://" or "www." alone, as HTML links sometimes are: no link */
	if ((*host == '\0' && g_ascii_strncasecmp(trimmed, "http", 4) == 0) ||
	    g_ascii_strcasecmp(trimmed, "www.") == 0)
		return;
	TwUri *u = g_new0(TwUri, 1);
	u->uri = g_strdup(trimmed);
	u->host = g_steal_pointer(&host);
	u->registrable = tw_mail_registrable_domain(u->host);
	g_ptr_array_add(uris, u);
	g_hash_table_add(seen, g_steal_pointer(&trimmed));
}

static gboolean
starts_uri(const char *p)
{
	return g_ascii_strncasecmp(p, "http://", 7) == 0 ||
	       g_ascii_strncasecmp(p, "https://", 8) == 0 ||
	       g_ascii_strncasecmp(p, "www.", 4) == 0;
}

void
tw_mail_uri_scan_text(GPtrArray *uris, GHashTable *seen, const char *text)
{
	const char *p = text;

	while ((p = strpbrk(p, "hHwW")) != NULL) {
		/* only at a word start: "xwww." or "shttp" are not links */
		if ((p > text && g_ascii_isalnum(p[-1])) || !starts_uri(p)) {
			p++;
			continue;
		}
		const char *end = p;
		while (!ends_uri(g_utf8_get_char(end)))
			end = g_utf8_next_char(end);
		/* sentence punctuation after a link is not part of it */
		while (end > p && strchr(".,;:!?)]}*", end[-1]) != NULL)
			end--;
		gsize n = (gsize)(end - p);
		if (n > 8 ||
		    (n > 4 && g_ascii_strncasecmp(p, "www.", 4) == 0)) {
			g_autofree char *uri = g_strndup(p, n);
			tw_mail_uri_add(uris, seen, uri);
		}
		p = end > p ? end : p + 1;
	}
}
