/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names of severities and anomaly flags, as product.md spells them. */
#include "config.h"

#include <string.h>

#include "trowatch/model.h"

static const char *const severity_names[TW_SEVERITY_COUNT] = {
	"none", "low", "medium", "high", "critical",
};

const char *
tw_severity_name(TwSeverity severity)
{
	g_assert((guint)severity < TW_SEVERITY_COUNT);
	return severity_names[severity];
}

int
tw_severity_parse(const char *name)
{
	for (int i = 0; i < TW_SEVERITY_COUNT; i++)
		if (strcmp(name, severity_names[i]) == 0)
			return i;
	return -1;
}

static const char *const anomaly_names[TW_ANOMALY_COUNT] = {
	"truncated",	    "header-truncated", "text-truncated",
	"too-deep",	    "too-many-parts",	"bad-charset",
	"missing-boundary", "8bit-header",	"rule-limit",
};

const char *
tw_anomaly_name(TwAnomaly flag)
{
	for (guint i = 0; i < TW_ANOMALY_COUNT; i++)
		if ((guint)flag == 1u << i)
			return anomaly_names[i];
	return NULL;
}

char *
tw_anomaly_join(guint flags, const char *sep)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < TW_ANOMALY_COUNT; i++) {
		if (!(flags & (1u << i)))
			continue;
		if (out->len > 0)
			g_string_append(out, sep);
		g_string_append(out, anomaly_names[i]);
	}
	return g_string_free(out, FALSE);
}
