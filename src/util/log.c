/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Diagnostics on stderr as "trowatch: ...", or to syslog (facility mail). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "trowatch/util.h"

static int log_verbosity;
static gboolean log_syslog;

void
tw_util_log_init(int verbosity, gboolean use_syslog)
{
	log_verbosity = verbosity;
	if (use_syslog && !log_syslog)
		openlog("trowatch", LOG_PID, LOG_MAIL);
	log_syslog = use_syslog;
}

void
tw_util_log(TwLogLevel level, const char *fmt, ...)
{
	static const int priorities[] = {
		[TW_LOG_ERROR] = LOG_ERR,
		[TW_LOG_WARNING] = LOG_WARNING,
		[TW_LOG_INFO] = LOG_INFO,
		[TW_LOG_DEBUG] = LOG_DEBUG,
	};
	/* quiet (-1) keeps errors; normal (0) adds warnings; -v info; -vv debug */
	if ((int)level > log_verbosity + 1)
		return;

	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* untrusted text may reach a log line: never let it forge lines or
	 * write to the terminal; backslashes stay single so "\Junk" reads
	 * as written */
	GString *escaped = g_string_sized_new(strlen(msg));
	for (const char *p = msg; *p; p++) {
		guchar c = (guchar)*p;
		if (c < 0x20 || c == 0x7f)
			g_string_append_printf(escaped, "\\x%02X", c);
		else
			g_string_append_c(escaped, (char)c);
	}
	g_autofree char *safe = g_string_free(escaped, FALSE);

	if (log_syslog)
		syslog(priorities[level], "%s", safe);
	else
		fprintf(stderr, "trowatch: %s\n", safe);
}
