/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verdicts as JSON lines (product.md, "Verdict"). */
#include "config.h"

#include <string.h>

#include "trowatch/model.h"

void
tw_json_string(GString *out, const char *s)
{
	if (s == NULL) {
		g_string_append(out, "null");
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = s; *p; p++) {
		guchar c = (guchar)*p;
		switch (c) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				g_string_append_printf(out, "\\u%04x", c);
			else
				g_string_append_c(out, (char)c);
		}
	}
	g_string_append_c(out, '"');
}

static void
key(GString *out, const char *name)
{
	if (out->len > 0 && out->str[out->len - 1] != '{')
		g_string_append(out, ", ");
	tw_json_string(out, name);
	g_string_append(out, ": ");
}

static void
string_array(GString *out, const GPtrArray *list)
{
	g_string_append_c(out, '[');
	for (guint i = 0; i < list->len; i++) {
		if (i > 0)
			g_string_append(out, ", ");
		tw_json_string(out, g_ptr_array_index(list, i));
	}
	g_string_append_c(out, ']');
}

static void
score(GString *out, gint64 hundredths)
{
	g_autofree char *s = tw_score_format(hundredths);
	g_string_append(out, s);
}

void
tw_verdict_json(const TwVerdict *v, const TwMessageInfo *info, gboolean explain,
		GString *out)
{
	gsize start = out->len;
	GString *o = g_string_new("{");

	key(o, "v");
	g_string_append(o, "1");
	if (info->path != NULL) {
		key(o, "path");
		tw_json_string(o, info->path);
	}
	key(o, "source");
	g_string_append(o, "{\"kind\": ");
	tw_json_string(o, info->source_kind);
	if (info->source_path != NULL) {
		g_string_append(o, ", \"path\": ");
		tw_json_string(o, info->source_path);
	}
	g_string_append_c(o, '}');
	key(o, "message_id");
	if (info->message_id != NULL) {
		g_autofree char *bracketed =
			g_strdup_printf("<%s>", info->message_id);
		tw_json_string(o, bracketed);
	} else {
		g_string_append(o, "null");
	}
	key(o, "date");
	tw_json_string(o, info->date);
	key(o, "from");
	tw_json_string(o, info->from);
	key(o, "subject");
	tw_json_string(o, info->subject);
	key(o, "severity");
	tw_json_string(o, tw_severity_name(v->severity));
	key(o, "score");
	score(o, v->score);
	key(o, "suspect");
	g_string_append(o, v->suspect ? "true" : "false");
	key(o, "tags");
	string_array(o, v->tags);

	key(o, "rules");
	g_string_append_c(o, '[');
	for (guint i = 0; i < v->hits->len; i++) {
		const TwHit *h = g_ptr_array_index(v->hits, i);
		g_string_append(o, i ? ", {\"name\": " : "{\"name\": ");
		tw_json_string(o, h->name);
		g_string_append(o, ", \"score\": ");
		score(o, h->score);
		g_string_append_c(o, '}');
	}
	g_string_append_c(o, ']');

	key(o, "facts");
	g_string_append_c(o, '{');
	for (guint i = 0; i < v->facts->len; i++) {
		const TwFact *f = g_ptr_array_index(v->facts, i);
		key(o, f->name);
		string_array(o, f->values);
	}
	g_string_append_c(o, '}');

	key(o, "fact_details");
	g_string_append_c(o, '{');
	if (v->cases->len > 0) {
		key(o, "case");
		g_string_append_c(o, '[');
		for (guint i = 0; i < v->cases->len; i++) {
			const TwCaseDetail *c = g_ptr_array_index(v->cases, i);
			g_string_append(o, i ? ", {\"key\": " : "{\"key\": ");
			tw_json_string(o, c->key);
			g_string_append(o, ", \"division\": ");
			tw_json_string(o, c->division);
			g_string_append(o, ", \"judge\": ");
			tw_json_string(o, c->judge);
			g_string_append(o, ", \"text\": ");
			tw_json_string(o, c->text);
			g_string_append_c(o, '}');
		}
		g_string_append_c(o, ']');
	}
	g_string_append_c(o, '}');

	key(o, "anomalies");
	g_string_append_c(o, '[');
	gboolean first = TRUE;
	for (guint i = 0; i < TW_ANOMALY_COUNT; i++) {
		if (!(v->anomalies & (1u << i)))
			continue;
		if (!first)
			g_string_append(o, ", ");
		tw_json_string(o, tw_anomaly_name(1u << i));
		first = FALSE;
	}
	g_string_append_c(o, ']');

	if (explain) {
		key(o, "matches");
		g_string_append_c(o, '[');
		for (guint i = 0; i < v->matches->len; i++) {
			const TwMatch *m = g_ptr_array_index(v->matches, i);
			g_string_append(o, i ? ", {\"rule\": " : "{\"rule\": ");
			tw_json_string(o, m->rule);
			g_string_append(o, ", \"target\": ");
			tw_json_string(o, m->target);
			g_string_append(o, ", \"text\": ");
			tw_json_string(o, m->text);
			g_string_append_c(o, '}');
		}
		g_string_append_c(o, ']');
	}
	g_string_append_c(o, '}');
	g_string_insert_len(out, (gssize)start, o->str, (gssize)o->len);
	g_string_free(o, TRUE);
}
