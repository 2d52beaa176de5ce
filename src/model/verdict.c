/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verdicts: construction, facts and tags without duplicates, scores. */
#include "config.h"

#include <string.h>

#include "trowatch/model.h"

static void
hit_free(gpointer p)
{
	TwHit *h = p;
	g_free(h->name);
	g_free(h);
}

static void
fact_free(gpointer p)
{
	TwFact *f = p;
	g_free(f->name);
	g_ptr_array_unref(f->values);
	g_free(f);
}

static void
case_free(gpointer p)
{
	TwCaseDetail *c = p;
	g_free(c->key);
	g_free(c->division);
	g_free(c->judge);
	g_free(c->text);
	g_free(c);
}

void
tw_match_free(TwMatch *m)
{
	if (m == NULL)
		return;
	g_free(m->rule);
	g_free(m->target);
	g_free(m->text);
	g_free(m);
}

TwVerdict *
tw_verdict_new(void)
{
	TwVerdict *v = g_new0(TwVerdict, 1);
	v->tags = g_ptr_array_new_with_free_func(g_free);
	v->hits = g_ptr_array_new_with_free_func(hit_free);
	v->facts = g_ptr_array_new_with_free_func(fact_free);
	v->cases = g_ptr_array_new_with_free_func(case_free);
	v->matches =
		g_ptr_array_new_with_free_func((GDestroyNotify)tw_match_free);
	v->floor = -1;
	v->cap = -1;
	return v;
}

void
tw_verdict_free(TwVerdict *v)
{
	if (v == NULL)
		return;
	g_ptr_array_unref(v->tags);
	g_ptr_array_unref(v->hits);
	g_ptr_array_unref(v->facts);
	g_ptr_array_unref(v->cases);
	g_ptr_array_unref(v->matches);
	g_free(v);
}

static gboolean
has_string(const GPtrArray *list, const char *s)
{
	for (guint i = 0; i < list->len; i++)
		if (strcmp(g_ptr_array_index(list, i), s) == 0)
			return TRUE;
	return FALSE;
}

const TwFact *
tw_verdict_fact(const TwVerdict *v, const char *name)
{
	for (guint i = 0; i < v->facts->len; i++) {
		const TwFact *f = g_ptr_array_index(v->facts, i);
		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

void
tw_verdict_add_fact(TwVerdict *v, const char *name, const char *value)
{
	TwFact *f = (TwFact *)tw_verdict_fact(v, name);
	if (f == NULL) {
		f = g_new0(TwFact, 1);
		f->name = g_strdup(name);
		f->values = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(v->facts, f);
	}
	/* bounded: a message can repeat a pattern without end */
	if (f->values->len < TW_FACT_VALUES_MAX &&
	    !has_string(f->values, value))
		g_ptr_array_add(f->values, g_strdup(value));
}

void
tw_verdict_add_tag(TwVerdict *v, const char *tag)
{
	if (!has_string(v->tags, tag))
		g_ptr_array_add(v->tags, g_strdup(tag));
}

char *
tw_score_format(gint64 hundredths)
{
	const char *sign = hundredths < 0 ? "-" : "";
	guint64 n = hundredths < 0 ? -(guint64)hundredths : (guint64)hundredths;
	guint64 whole = n / 100, frac = n % 100;

	if (frac == 0)
		return g_strdup_printf("%s%" G_GUINT64_FORMAT, sign, whole);
	if (frac % 10 == 0)
		return g_strdup_printf("%s%" G_GUINT64_FORMAT
				       ".%" G_GUINT64_FORMAT,
				       sign, whole, frac / 10);
	return g_strdup_printf("%s%" G_GUINT64_FORMAT ".%02" G_GUINT64_FORMAT,
			       sign, whole, frac);
}
