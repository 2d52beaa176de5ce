/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The text dump of a message view (scan --dump-view, golden tests). */
#include "config.h"

#include <string.h>

#include "trowatch/mail.h"
#include "trowatch/util.h"

/* "key: value\n" with the value escaped; NULL prints as "-". */
static void
dump_field(GString *out, const char *indent, const char *key, const char *value)
{
	g_string_append_printf(out, "%s%s: ", indent, key);
	if (value == NULL)
		g_string_append_c(out, '-');
	else
		tw_util_escape_append(out, value, -1);
	g_string_append_c(out, '\n');
}

static void
dump_addresses(GString *out, const char *key, const GPtrArray *list)
{
	for (guint i = 0; i < list->len; i++) {
		const TwAddress *a = g_ptr_array_index(list, i);
		g_string_append_printf(out, "%s: ", key);
		tw_util_escape_append(out, a->display, -1);
		g_string_append(out, " [domain=");
		tw_util_escape_append(out, a->domain, -1);
		g_string_append(out, " registrable=");
		tw_util_escape_append(out, a->registrable, -1);
		g_string_append(out, "]\n");
	}
}

/* Long text, one escaped line per source line, so diffs stay readable. */
static void
dump_text(GString *out, const char *key, const char *text)
{
	g_string_append_printf(out, "%s:\n", key);
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		gsize n = nl ? (gsize)(nl - p) : strlen(p);
		g_string_append(out, "  | ");
		tw_util_escape_append(out, p, (gssize)n);
		g_string_append_c(out, '\n');
		p += n + (nl ? 1 : 0);
	}
}

void
tw_mail_view_dump(const TwView *view, GString *out)
{
	g_autofree char *anomalies = tw_anomaly_join(view->anomalies, " ");

	dump_addresses(out, "from", view->from);
	dump_addresses(out, "to", view->to);
	dump_addresses(out, "reply-to", view->reply_to);
	dump_addresses(out, "return-path", view->return_path);
	dump_field(out, "", "subject", view->subject);
	dump_field(out, "", "date", view->date);
	dump_field(out, "", "message-id", view->message_id);
	g_string_append_printf(out, "size: %" G_GUINT64_FORMAT "\n",
			       view->size);
	dump_field(out, "", "anomalies", *anomalies ? anomalies : "none");

	g_string_append(out, "parts:\n");
	for (guint i = 0; i < view->parts->len; i++) {
		const TwPart *part = g_ptr_array_index(view->parts, i);
		g_string_append_printf(out, "  %s ", part->id);
		tw_util_escape_append(out, part->type, -1);
		if (part->charset) {
			g_string_append(out, " charset=");
			tw_util_escape_append(out, part->charset, -1);
		}
		if (part->used_charset)
			g_string_append_printf(out, " decoded-from=%s",
					       part->used_charset);
		if (part->encoding) {
			g_string_append(out, " encoding=");
			tw_util_escape_append(out, part->encoding, -1);
		}
		if (part->filename) {
			g_string_append(out, " filename=\"");
			tw_util_escape_append(out, part->filename, -1);
			g_string_append_c(out, '"');
		}
		if (part->size > 0 || part->text)
			g_string_append_printf(out, " size=%" G_GUINT64_FORMAT,
					       part->size);
		if (part->text)
			g_string_append(out, " text");
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < view->attachments->len; i++) {
		const TwAttachment *a = g_ptr_array_index(view->attachments, i);
		g_string_append(out, "attachment: ");
		tw_util_escape_append(out, a->name, -1);
		g_string_append(out, "; ");
		tw_util_escape_append(out, a->type, -1);
		g_string_append_printf(out, " (%" G_GUINT64_FORMAT " bytes)\n",
				       a->size);
	}
	for (guint i = 0; i < view->uris->len; i++) {
		const TwUri *u = g_ptr_array_index(view->uris, i);
		g_string_append(out, "uri: ");
		tw_util_escape_append(out, u->uri, -1);
		g_string_append(out, " [host=");
		tw_util_escape_append(out, u->host, -1);
		g_string_append(out, " registrable=");
		tw_util_escape_append(out, u->registrable, -1);
		g_string_append(out, "]\n");
	}
	for (guint i = 0; i < view->headers->len; i++) {
		const TwHeader *h = g_ptr_array_index(view->headers, i);
		g_string_append(out, "header ");
		tw_util_escape_append(out, h->name, -1);
		g_string_append(out, ": ");
		tw_util_escape_append(out, h->value, -1);
		g_string_append_c(out, '\n');
	}
	dump_field(out, "", "body", view->body);
	dump_text(out, "rawbody", view->rawbody);
}
