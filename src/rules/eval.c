/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A rule set over a message view: tests, facts, score, severity. */
#include "config.h"

#include <string.h>

#include "normalize.h"
#include "rules-private.h"
#include "trowatch/util.h"

/* JIT stack: the first block; it grows up to the jit-stack limit. */
#define JIT_STACK_START (32 * 1024)

typedef struct {
	const TwRuleSet *set;
	const TwView *view;
	const TwEvalOptions *options;
	TwVerdict *verdict;
	gboolean *fired;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *jit;
	GPtrArray *values[TARGET_COUNT]; /* built when first needed */
	GPtrArray *identity;		 /* folded, lower-case names */
	guint8 *found[TARGET_COUNT];	 /* prefilter: literals in the text */
	gint64 deadline;		 /* monotonic µs */
	gboolean out_of_time;		 /* the budget ran out inside a rule */
} Eval;

static void
push(GPtrArray *a, const char *s)
{
	g_ptr_array_add(a, (gpointer)s);
}

/* The strings a target shows, borrowed from the view (or owned by @own). */
static GPtrArray *
values_of(Eval *e, Target t)
{
	if (e->values[t] != NULL)
		return e->values[t];
	const TwView *v = e->view;
	GPtrArray *a = g_ptr_array_new_with_free_func(NULL);
	switch (t) {
	case TARGET_SUBJECT:
		push(a, v->subject);
		break;
	case TARGET_ANY:
		push(a, v->subject);
		push(a, v->body);
		break;
	case TARGET_BODY:
		push(a, v->body);
		break;
	case TARGET_RAWBODY:
		push(a, v->rawbody);
		break;
	case TARGET_FROM:
	case TARGET_FROM_NAME:
	case TARGET_FROM_DOMAIN:
		for (guint i = 0; i < v->from->len; i++) {
			const TwAddress *ad = g_ptr_array_index(v->from, i);
			if (t == TARGET_FROM)
				push(a, ad->display);
			else if (t == TARGET_FROM_DOMAIN)
				push(a, ad->registrable);
			else if (ad->name != NULL)
				push(a, ad->name);
		}
		break;
	case TARGET_REPLY_TO_DOMAIN:
		for (guint i = 0; i < v->reply_to->len; i++) {
			const TwAddress *ad = g_ptr_array_index(v->reply_to, i);
			push(a, ad->registrable);
		}
		break;
	case TARGET_TO:
		for (guint i = 0; i < v->to->len; i++) {
			const TwAddress *ad = g_ptr_array_index(v->to, i);
			push(a, ad->display);
		}
		break;
	case TARGET_URI:
	case TARGET_URI_DOMAIN:
		for (guint i = 0; i < v->uris->len; i++) {
			const TwUri *u = g_ptr_array_index(v->uris, i);
			push(a, t == TARGET_URI ? u->uri : u->registrable);
		}
		break;
	case TARGET_ATTACHMENT:
		g_ptr_array_set_free_func(a, g_free);
		for (guint i = 0; i < v->attachments->len; i++) {
			const TwAttachment *at =
				g_ptr_array_index(v->attachments, i);
			g_ptr_array_add(a, g_strdup_printf("%s; %s", at->name,
							   at->type));
		}
		break;
	case TARGET_AUTHRES: {
		/* only fields stamped by our own server can be trusted:
		 * "Authentication-Results: authserv-id; ..." */
		const char *id = e->options->authserv_id;
		gsize n = id ? strlen(id) : 0;
		for (guint i = 0; n > 0 && i < v->headers->len; i++) {
			const TwHeader *h = g_ptr_array_index(v->headers, i);
			if (g_ascii_strcasecmp(h->name,
					       "Authentication-Results") != 0)
				continue;
			const char *val = h->value;
			if (g_ascii_strncasecmp(val, id, n) == 0 &&
			    (val[n] == ';' || val[n] == ' ' || val[n] == '\t'))
				push(a, val);
		}
		break;
	}
	case TARGET_HEADER: /* per field: see header_values() */
	case TARGET_COUNT:
		g_assert_not_reached();
	}
	e->values[t] = a;
	return a;
}

static GPtrArray *
header_values(Eval *e, const char *field)
{
	GPtrArray *a = g_ptr_array_new();
	for (guint i = 0; i < e->view->headers->len; i++) {
		const TwHeader *h = g_ptr_array_index(e->view->headers, i);
		if (g_ascii_strcasecmp(h->name, field) == 0)
			push(a, h->value);
	}
	return a;
}

static gboolean
over_limit(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* Every named group of the match in e->md as a fact, into @found as
 * (name, text) pairs: they count only if the whole rule matches. */
static void
collect_facts(Eval *e, const Rule *r, const char *subject, GPtrArray *found)
{
	uint32_t count = 0, entry = 0;
	PCRE2_SPTR table = NULL;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
	uint32_t pairs = pcre2_get_ovector_count(e->md);

	pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR row = table + i * entry;
		uint32_t group = (row[0] << 8) | row[1];
		const char *name = (const char *)row + 2;
		if (group >= pairs || ov[2 * group] == PCRE2_UNSET)
			continue;
		g_ptr_array_add(found, g_strdup(name));
		g_ptr_array_add(found,
				g_strndup(subject + ov[2 * group],
					  ov[2 * group + 1] - ov[2 * group]));
	}
}

/* Facts found by a rule that matched: normalised, the case details too. */
static void
add_facts(Eval *e, GPtrArray *found)
{
	for (guint i = 0; i + 1 < found->len; i += 2) {
		const char *name = g_ptr_array_index(found, i);
		const char *text = g_ptr_array_index(found, i + 1);
		g_autofree char *value = tw_rules_normalize_fact(name, text);
		if (value == NULL)
			continue;
		tw_verdict_add_fact(e->verdict, name, value);
		if (strcmp(name, "case") != 0)
			continue;
		TwCaseNumber c;
		if (!tw_rules_normalize_case(text, &c))
			continue;
		gboolean known = FALSE;
		for (guint k = 0; k < e->verdict->cases->len && !known; k++) {
			const TwCaseDetail *d =
				g_ptr_array_index(e->verdict->cases, k);
			known = strcmp(d->key, c.key) == 0;
		}
		if (!known && e->verdict->cases->len < TW_FACT_VALUES_MAX) {
			TwCaseDetail *d = g_new0(TwCaseDetail, 1);
			d->key = g_steal_pointer(&c.key);
			d->division = g_steal_pointer(&c.division);
			d->judge = g_steal_pointer(&c.judge);
			d->text = g_steal_pointer(&c.text);
			g_ptr_array_add(e->verdict->cases, d);
		}
		tw_case_number_clear(&c);
	}
}

static char *
target_label(const Rule *r)
{
	if (r->test == TEST_WHEN)
		return g_strdup("when");
	if (r->target == TARGET_HEADER)
		return g_strdup_printf("header %s", r->field);
	return g_strdup(tw_rules_target_name(r->target));
}

static TwMatch *
new_match(const Rule *r, const char *text, gsize len)
{
	/* trimmed for people: the match and no more than 160 bytes of it */
	gsize n = MIN(len, 160);
	while (n > 0 && n < len && (text[n] & 0xC0) == 0x80)
		n--;
	g_autofree char *raw = g_strndup(text, n);
	TwMatch *m = g_new0(TwMatch, 1);
	m->rule = g_strdup(r->name);
	m->target = target_label(r);
	m->text = g_strdup_printf("%s%s", g_strstrip(raw), n < len ? "…" : "");
	return m;
}

static void
record_match(Eval *e, const Rule *r, const char *text, gsize len)
{
	g_ptr_array_add(e->verdict->matches, new_match(r, text, len));
}

/*
 * Match the pattern against every value.  TRUE when it matched; every match
 * of every named group becomes a fact, so matching goes on after the first
 * when the pattern has names.  A limit makes the whole rule not match, and
 * what it found so far is dropped with it.
 */
static gboolean
eval_pattern(Eval *e, const Rule *r, GPtrArray *values)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	TwMatch *first = NULL;

	for (guint i = 0; i < values->len; i++) {
		const char *s = g_ptr_array_index(values, i);
		gsize len = strlen(s);
		PCRE2_SIZE start = 0;
		while (start <= len) {
			/* a pattern with names goes through every match, each
			 * bounded by the match limit: the budget bounds them
			 * all (the clock costs little beside a match) */
			if (start > 0 && g_get_monotonic_time() > e->deadline) {
				e->out_of_time = TRUE;
				e->verdict->anomalies |= TW_ANOMALY_RULE_LIMIT;
				g_clear_pointer(&first, tw_match_free);
				return FALSE;
			}
			int rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, start,
					     0, e->md, e->mc);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				if (over_limit(rc))
					e->verdict->anomalies |=
						TW_ANOMALY_RULE_LIMIT;
				g_clear_pointer(&first, tw_match_free);
				return FALSE;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
			if (first == NULL)
				first = new_match(r, s + ov[0], ov[1] - ov[0]);
			if (!r->named)
				goto matched;
			collect_facts(e, r, s, found);
			/* an empty match moves on by one character */
			if (ov[1] > ov[0])
				start = ov[1];
			else if (ov[1] < len)
				start = g_utf8_next_char(s + ov[1]) - s;
			else
				break;
		}
	}
	if (first == NULL)
		return FALSE;
matched:
	add_facts(e, found);
	if (e->options->explain)
		g_ptr_array_add(e->verdict->matches, first);
	else
		tw_match_free(first);
	return TRUE;
}

static gboolean
eval_list(Eval *e, const Rule *r, GPtrArray *values)
{
	for (guint i = 0; i < values->len; i++) {
		g_autofree char *lower =
			g_utf8_strdown(g_ptr_array_index(values, i), -1);
		if (g_hash_table_contains(r->set_list->values, lower)) {
			if (e->options->explain)
				record_match(e, r, lower, strlen(lower));
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
eval_identity(Eval *e, const Rule *r, GPtrArray *values)
{
	if (e->identity == NULL) {
		e->identity = g_ptr_array_new_with_free_func(g_free);
		for (char *const *n = e->options->identity; n && *n; n++) {
			g_autofree char *folded = tw_util_text_fold(*n, -1);
			if (*folded)
				g_ptr_array_add(e->identity,
						g_utf8_casefold(folded, -1));
		}
	}
	for (guint i = 0; i < values->len && e->identity->len > 0; i++) {
		/* body and subject are folded already; headers and rawbody
		 * are not */
		g_autofree char *folded =
			tw_util_text_fold(g_ptr_array_index(values, i), -1);
		g_autofree char *text = g_utf8_casefold(folded, -1);
		for (guint k = 0; k < e->identity->len; k++) {
			const char *name = g_ptr_array_index(e->identity, k);
			if (strstr(text, name) != NULL) {
				if (e->options->explain)
					record_match(e, r, name, strlen(name));
				return TRUE;
			}
		}
	}
	return FALSE;
}

static gboolean
eval_expr(const Eval *e, const Expr *x)
{
	switch (x->kind) {
	case EXPR_NAME:
		return e->fired[x->rule];
	case EXPR_NOT:
		return !eval_expr(e, x->a);
	case EXPR_AND:
		return eval_expr(e, x->a) && eval_expr(e, x->b);
	case EXPR_OR:
		return eval_expr(e, x->a) || eval_expr(e, x->b);
	}
	g_assert_not_reached();
}

static gboolean
any_found(const guint8 *found, const guint32 *lits, guint n)
{
	for (guint i = 0; i < n; i++)
		if (found[lits[i]])
			return TRUE;
	return FALSE;
}

/* The literals of the prefilter present in target @t's one text. */
static const guint8 *
found_in(Eval *e, Target t)
{
	if (e->found[t] == NULL) {
		guint n = tw_rules_prefilter_count(e->set->prefilter);
		e->found[t] = g_new0(guint8, n);
		const char *text = t == TARGET_SUBJECT ? e->view->subject
				   : t == TARGET_BODY  ? e->view->body
						       : e->view->rawbody;
		tw_rules_prefilter_scan(e->set->prefilter, text, e->found[t]);
	}
	return e->found[t];
}

/* FALSE when the pattern cannot match: none of its literals is there. */
static gboolean
may_match(Eval *e, const Rule *r)
{
	if (r->nlits == 0 || e->set->prefilter_off)
		return TRUE;
	Target ts[2] = {r->target, TARGET_COUNT};
	if (r->target == TARGET_ANY) {
		ts[0] = TARGET_SUBJECT;
		ts[1] = TARGET_BODY;
	}
	for (guint k = 0; k < 2 && ts[k] != TARGET_COUNT; k++) {
		const guint8 *found = found_in(e, ts[k]);
		if (any_found(found, r->lits, r->nlits))
			return TRUE;
	}
	return FALSE;
}

typedef enum {
	PROBE_NO,     /* no alternative matches: neither does the pattern */
	PROBE_YES,    /* one does: so does the pattern */
	PROBE_UNSURE, /* a probe hit a limit: the pattern decides */
} ProbeResult;

/*
 * The alternatives of the pattern whose literals are in the text, each
 * run alone.  A pattern matches where one of its alternatives does, so
 * this decides whether the rule fires at the cost of the few alternatives
 * the text can match, not of all of them at every position.
 */
static ProbeResult
run_probes(Eval *e, const Rule *r, GPtrArray *values)
{
	ProbeResult result = PROBE_NO;
	for (guint i = 0; i < values->len; i++) {
		/* "any" shows the subject, then the body */
		Target t = r->target != TARGET_ANY ? r->target
			   : i == 0		   ? TARGET_SUBJECT
						   : TARGET_BODY;
		const guint8 *found = found_in(e, t);
		const char *s = g_ptr_array_index(values, i);
		gsize len = strlen(s);
		for (guint k = 0; k < r->nprobes; k++) {
			const Probe *p = &r->probes[k];
			if (p->nlits > 0 &&
			    !any_found(found, p->lits, p->nlits))
				continue;
			int rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, 0,
					     e->md, e->mc);
			if (rc >= 0)
				return result == PROBE_NO ? PROBE_YES
							  : PROBE_UNSURE;
			if (rc != PCRE2_ERROR_NOMATCH)
				result = PROBE_UNSURE;
		}
	}
	return result;
}

static gboolean
eval_rule(Eval *e, const Rule *r)
{
	if (r->off)
		return FALSE;
	if (r->test == TEST_WHEN) {
		gboolean yes = eval_expr(e, r->when);
		if (yes && e->options->explain)
			record_match(e, r, "", 0);
		return yes;
	}
	if (r->test == TEST_PATTERN && !may_match(e, r))
		return FALSE;
	GPtrArray *values = r->target == TARGET_HEADER
				    ? header_values(e, r->field)
				    : g_ptr_array_ref(values_of(e, r->target));
	gboolean yes = FALSE;
	if (r->nprobes > 0 && !e->set->prefilter_off) {
		ProbeResult p = run_probes(e, r, values);
		/* facts and explanations come from the whole pattern, which
		 * finds the same matches as before */
		if (p == PROBE_NO ||
		    (p == PROBE_YES && !r->named && !e->options->explain)) {
			g_ptr_array_unref(values);
			return p == PROBE_YES;
		}
	}
	switch (r->test) {
	case TEST_PATTERN:
		yes = eval_pattern(e, r, values);
		break;
	case TEST_LIST:
		yes = eval_list(e, r, values);
		break;
	case TEST_IDENTITY:
		yes = eval_identity(e, r, values);
		break;
	case TEST_NONE:
	case TEST_WHEN:
		g_assert_not_reached();
	}
	g_ptr_array_unref(values);
	return yes;
}

/* score -> threshold -> floor -> cap, as rules.md orders them */
static void
decide(Eval *e)
{
	TwVerdict *v = e->verdict;
	int floor = -1, cap = -1;

	v->severity = TW_SEVERITY_NONE;
	for (int s = TW_SEVERITY_CRITICAL; s > TW_SEVERITY_NONE; s--) {
		if (v->score >= e->set->thresholds[s]) {
			v->severity = s;
			break;
		}
	}
	for (guint i = 0; i < e->set->rules->len; i++) {
		if (!e->fired[i])
			continue;
		const Rule *r = g_ptr_array_index(e->set->rules, i);
		if (r->floor >= 0)
			floor = MAX(floor, r->floor);
		if (r->cap >= 0)
			cap = cap < 0 ? r->cap : MIN(cap, r->cap);
	}
	v->floor = floor;
	v->cap = cap;
	if (floor >= 0 && (int)v->severity < floor)
		v->severity = floor;
	if (cap >= 0 && (int)v->severity > cap)
		v->severity = cap;
}

/*
 * A JIT stack per thread, kept: making one maps its whole size, and
 * mapping and unmapping a megabyte per message cost more than most rules.
 * A rule set is immutable and may serve several threads; the stack is
 * only used while one of them matches.
 */
typedef struct {
	pcre2_jit_stack *stack;
	gsize max;
} JitCache;

static void
jit_cache_free(gpointer p)
{
	JitCache *c = p;
	if (c->stack != NULL)
		pcre2_jit_stack_free(c->stack);
	g_free(c);
}

static GPrivate jit_cache = G_PRIVATE_INIT(jit_cache_free);

static pcre2_jit_stack *
jit_stack(gsize max)
{
	JitCache *c = g_private_get(&jit_cache);
	if (c == NULL) {
		c = g_new0(JitCache, 1);
		g_private_set(&jit_cache, c);
	}
	if (c->stack == NULL || c->max != max) {
		if (c->stack != NULL)
			pcre2_jit_stack_free(c->stack);
		c->stack = pcre2_jit_stack_create(JIT_STACK_START, max, NULL);
		c->max = max;
	}
	return c->stack;
}

TwVerdict *
tw_rules_eval(const TwRuleSet *set, const TwView *view,
	      const TwEvalOptions *options)
{
	static const TwEvalOptions defaults = {0};
	guint n = set->rules->len;
	Eval e = {
		.set = set,
		.view = view,
		.options = options ? options : &defaults,
		.verdict = tw_verdict_new(),
		.fired = g_new0(gboolean, n),
		.md = pcre2_match_data_create(MAX(set->max_pairs, 1), NULL),
		.mc = pcre2_match_context_create(NULL),
	};
	e.verdict->anomalies = view->anomalies;
	pcre2_set_match_limit(
		e.mc, (uint32_t)MIN(set->limits.match_limit, G_MAXUINT32));
	gsize jit_max = (gsize)MAX(set->limits.jit_stack, JIT_STACK_START);
	e.jit = jit_stack(jit_max);
	if (e.jit != NULL)
		pcre2_jit_stack_assign(e.mc, NULL, e.jit);
	/* saturate: a huge budget ("never stop") must not wrap around */
	gint64 now = g_get_monotonic_time();
	gint64 budget = set->limits.rule_budget_ms;
	e.deadline = budget > (G_MAXINT64 - now) / 1000 ? G_MAXINT64
							: now + budget * 1000;

	for (guint k = 0; k < n; k++) {
		guint i = set->order[k];
		/* the budget is a safety net: what is left is not run (the
		 * clock is read every few rules: it costs as much as one) */
		if (k % 8 == 0 && g_get_monotonic_time() > e.deadline) {
			e.verdict->anomalies |= TW_ANOMALY_RULE_LIMIT;
			break;
		}
		const Rule *r = g_ptr_array_index(set->rules, i);
		e.fired[i] = eval_rule(&e, r);
		if (e.out_of_time)
			break;
	}

	/* hits, tags and suspect in definition order, whatever the order of
	 * evaluation */
	for (guint i = 0; i < n; i++) {
		if (!e.fired[i])
			continue;
		const Rule *r = g_ptr_array_index(set->rules, i);
		TwHit *h = g_new0(TwHit, 1);
		h->name = g_strdup(r->name);
		h->score = r->score;
		g_ptr_array_add(e.verdict->hits, h);
		e.verdict->score += r->score;
		for (guint t = 0; t < r->tags->len; t++)
			tw_verdict_add_tag(e.verdict,
					   g_ptr_array_index(r->tags, t));
		e.verdict->suspect |= r->suspect;
	}
	decide(&e);

	for (int t = 0; t < TARGET_COUNT; t++)
		if (e.values[t] != NULL)
			g_ptr_array_unref(e.values[t]);
	if (e.identity != NULL)
		g_ptr_array_unref(e.identity);
	for (int t = 0; t < TARGET_COUNT; t++)
		g_free(e.found[t]);
	pcre2_match_context_free(e.mc);
	pcre2_match_data_free(e.md);
	g_free(e.fired);
	return e.verdict;
}
