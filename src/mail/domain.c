/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Registrable domains of hosts, from the public suffix list (libpsl). */
#include "config.h"

#include <libpsl.h>
#include <string.h>

#include "mail-private.h"
#include "trowatch/mail.h"

static psl_ctx_t *psl;
static gboolean psl_owned;

void
tw_mail_domain_init(void)
{
	if (psl != NULL)
		return;
	/* the system's list when it is newer than the one built into libpsl */
	psl = psl_latest(TW_PSL_FILE);
	psl_owned = psl != NULL;
	if (psl == NULL)
		psl = (psl_ctx_t *)psl_builtin();
}

void
tw_mail_domain_shutdown(void)
{
	if (psl_owned)
		psl_free(psl);
	psl = NULL;
	psl_owned = FALSE;
}

char *
tw_mail_registrable_domain(const char *host)
{
	g_autofree char *lower = NULL;
	gsize len;

	if (host == NULL || *host == '\0')
		return g_strdup("");
	lower = g_utf8_strdown(host, -1);
	len = strlen(lower);
	while (len > 0 && lower[len - 1] == '.')
		lower[--len] = '\0';
	if (psl == NULL || g_hostname_is_ip_address(lower) ||
	    strchr(lower, '.') == NULL)
		return g_steal_pointer(&lower);

	const char *reg = psl_registrable_domain(psl, lower);
	return g_strdup(reg != NULL ? reg : lower);
}
