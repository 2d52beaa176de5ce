/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sizes, durations and hosts as the configuration and options write them. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "trowatch/util.h"

/* Parse "N" + optional unit; units[i] multiplies by factors[i]. */
static gboolean
parse_scaled(const char *text, const char *units, const guint64 *factors,
	     guint64 *value_r)
{
	const char *p = text;
	guint64 n = 0;

	if (!g_ascii_isdigit(*p))
		return FALSE;
	for (; g_ascii_isdigit(*p); p++) {
		if (n > (G_MAXUINT64 - 9) / 10)
			return FALSE;
		n = n * 10 + (guint64)(*p - '0');
	}
	guint64 factor = 1;
	if (*p != '\0') {
		const char *u = strchr(units, *p);
		if (u == NULL || p[1] != '\0')
			return FALSE;
		factor = factors[u - units];
	}
	if (n != 0 && factor > G_MAXUINT64 / n)
		return FALSE;
	*value_r = n * factor;
	return TRUE;
}

gboolean
tw_util_parse_size(const char *text, guint64 *bytes_r, GError **error)
{
	static const guint64 factors[] = {1024, 1024 * 1024,
					  1024 * 1024 * 1024};
	guint64 v;

	if (text == NULL || !parse_scaled(text, "KMG", factors, &v)) {
		g_set_error(error, TW_ERROR, TW_ERROR_CONFIG,
			    "bad size '%s' (expected N, NK, NM or NG)",
			    text ? text : "");
		return FALSE;
	}
	*bytes_r = v;
	return TRUE;
}

gboolean
tw_util_parse_duration(const char *text, gint64 *seconds_r, GError **error)
{
	static const guint64 factors[] = {1, 60, 3600, 86400};
	guint64 v;

	if (text == NULL || !parse_scaled(text, "smhd", factors, &v) ||
	    v > (guint64)G_MAXINT64) {
		g_set_error(
			error, TW_ERROR, TW_ERROR_CONFIG,
			"bad duration '%s' (expected N followed by s, m, h or d)",
			text ? text : "");
		return FALSE;
	}
	*seconds_r = (gint64)v;
	return TRUE;
}

char *
tw_util_format_size(guint64 bytes)
{
	static const char units[] = "GMK";
	static const guint64 factors[] = {1024 * 1024 * 1024, 1024 * 1024,
					  1024};

	for (guint i = 0; i < G_N_ELEMENTS(factors); i++)
		if (bytes != 0 && bytes % factors[i] == 0)
			return g_strdup_printf("%" G_GUINT64_FORMAT "%c",
					       bytes / factors[i], units[i]);
	return g_strdup_printf("%" G_GUINT64_FORMAT, bytes);
}

char *
tw_util_format_duration(gint64 seconds)
{
	static const char units[] = "dhm";
	static const gint64 factors[] = {86400, 3600, 60};

	for (guint i = 0; i < G_N_ELEMENTS(factors); i++)
		if (seconds != 0 && seconds % factors[i] == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "%c",
					       seconds / factors[i], units[i]);
	return g_strdup_printf("%" G_GINT64_FORMAT "s", seconds);
}

gboolean
tw_util_host_is_loopback(const char *host)
{
	if (host == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(host, "localhost") == 0 ||
	    strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0)
		return TRUE;
	/* 127.0.0.0/8 written as a dotted quad */
	unsigned a, b, c, d;
	char tail;
	if (sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4)
		return a == 127 && b < 256 && c < 256 && d < 256;
	return FALSE;
}
