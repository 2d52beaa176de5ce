/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rule files to a rule set: lines, statements, includes, names resolved. */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules-private.h"
#include "trowatch/util.h"

/* A rule file is text people write; anything larger is a mistake. */
#define MAX_RULE_FILE (8 * 1024 * 1024)
/* Includes deeper than this are a cycle in disguise or a mistake. */
#define MAX_INCLUDE_DEPTH 32
/* Expressions nest this deep at most: a bound on the recursive parser. */
#define MAX_EXPR_DEPTH 64
/* |score| and thresholds, in hundredths: far beyond any sensible rule. */
#define MAX_NUMBER (1000000 * 100LL)

static const char *const target_names[TARGET_COUNT] = {
	[TARGET_SUBJECT] = "subject",
	[TARGET_FROM] = "from",
	[TARGET_FROM_NAME] = "from-name",
	[TARGET_FROM_DOMAIN] = "from-domain",
	[TARGET_REPLY_TO_DOMAIN] = "reply-to-domain",
	[TARGET_TO] = "to",
	[TARGET_HEADER] = "header",
	[TARGET_AUTHRES] = "authres",
	[TARGET_BODY] = "body",
	[TARGET_RAWBODY] = "rawbody",
	[TARGET_URI] = "uri",
	[TARGET_URI_DOMAIN] = "uri-domain",
	[TARGET_ATTACHMENT] = "attachment",
	[TARGET_ANY] = "any",
};

const char *
tw_rules_target_name(Target target)
{
	g_assert((guint)target < TARGET_COUNT);
	return target_names[target];
}

int
tw_rules_target_parse(const char *name)
{
	for (int i = 0; i < TARGET_COUNT; i++)
		if (strcmp(name, target_names[i]) == 0)
			return i;
	return -1;
}

void
tw_diag_free(TwDiag *diag)
{
	if (diag == NULL)
		return;
	g_free(diag->file);
	g_free(diag->message);
	g_free(diag);
}

char *
tw_diag_format(const TwDiag *d)
{
	GString *out = g_string_new(d->file);
	if (d->line > 0)
		g_string_append_printf(out, ":%u", d->line);
	if (d->line > 0 && d->col > 0)
		g_string_append_printf(out, ":%u", d->col);
	g_string_append(out, ": ");
	if (d->level == TW_DIAG_WARNING)
		g_string_append(out, "warning: ");
	g_string_append(out, d->message);
	return g_string_free(out, FALSE);
}

void
tw_rules_diag(GPtrArray *diags, TwDiagLevel level, const char *file, guint line,
	      guint col, const char *fmt, ...)
{
	TwDiag *d = g_new0(TwDiag, 1);
	va_list ap;

	va_start(ap, fmt);
	d->message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	d->level = level;
	d->file = g_strdup(file);
	d->line = line;
	d->col = col;
	g_ptr_array_add(diags, d);
}

void
tw_rules_expr_free(Expr *e)
{
	if (e == NULL)
		return;
	g_free(e->name);
	tw_rules_expr_free(e->a);
	tw_rules_expr_free(e->b);
	g_free(e);
}

static void probes_free(Rule *r);

void
tw_rules_rule_free(Rule *r)
{
	if (r == NULL)
		return;
	g_free(r->name);
	g_free(r->file);
	g_free(r->field);
	g_free(r->pattern);
	g_free(r->flags);
	g_free(r->list);
	tw_rules_expr_free(r->when);
	g_ptr_array_unref(r->tags);
	g_free(r->describe);
	if (r->code != NULL)
		pcre2_code_free(r->code);
	g_free(r->lits);
	probes_free(r);
	g_free(r);
}

void
tw_rules_list_free(RuleList *l)
{
	if (l == NULL)
		return;
	g_free(l->name);
	g_free(l->file);
	g_hash_table_unref(l->values);
	g_free(l);
}

/* ---- the loader -------------------------------------------------------- */

typedef struct {
	GPtrArray *diags;
	TwRuleSet *set;
	GHashTable *loaded; /* canonical paths read so far */
	GPtrArray *stack;   /* canonical paths being read (include chain) */
	/* the file being read */
	const char *file;
	guint line;
	GHashTable *file_rules; /* names defined in this file -> line */
	GHashTable *file_lists;
	Rule *rule;	     /* the rule whose attributes follow */
	gboolean orphans_ok; /* the last statement failed: skip its lines */
	RuleList *list;	     /* the list whose values follow */
	guint errors;
	guint include_col; /* the path of the include being read, or 0 */
} Loader;

static void G_GNUC_PRINTF(3, 4)
	error_at(Loader *l, guint col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	tw_rules_diag(l->diags, TW_DIAG_ERROR, l->file, l->line, col, "%s",
		      msg);
	l->errors++;
	if (l->rule != NULL)
		l->rule->broken = TRUE;
}

static void G_GNUC_PRINTF(3, 4)
	warn_at(Loader *l, guint col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	tw_rules_diag(l->diags, TW_DIAG_WARNING, l->file, l->line, col, "%s",
		      msg);
}

/* 1-based character column of @p in @line. */
static guint
col_of(const char *line, const char *p)
{
	return (guint)g_utf8_strlen(line, p - line) + 1;
}

static gboolean
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *
skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/* The next run of non-blank characters at @p (after blanks), or NULL. */
static char *
next_word(const char **pp, const char **start_r)
{
	const char *p = skip_blanks(*pp);
	const char *start = p;
	while (*p != '\0' && !is_blank(*p))
		p++;
	*pp = p;
	if (start_r != NULL)
		*start_r = start;
	return p > start ? g_strndup(start, p - start) : NULL;
}

/* Cut a trailing "  # comment" (white space, then #) off @s in place. */
static void
cut_comment(char *s)
{
	for (char *p = s; *p; p++) {
		if (*p == '#' && (p == s || is_blank(p[-1]))) {
			*p = '\0';
			break;
		}
	}
	g_strchomp(s);
}

static gboolean
is_name(const char *s)
{
	if (!g_ascii_isupper(*s))
		return FALSE;
	for (s++; *s; s++)
		if (!g_ascii_isupper(*s) && !g_ascii_isdigit(*s) && *s != '_')
			return FALSE;
	return TRUE;
}

static gboolean
is_tag(const char *s)
{
	if (!g_ascii_islower(*s))
		return FALSE;
	for (s++; *s; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && *s != '-')
			return FALSE;
	return TRUE;
}

/* FIELD = [!-9;-~]+ */
static gboolean
is_field(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s; s++)
		if ((guchar)*s < '!' || (guchar)*s > '~' || *s == ':')
			return FALSE;
	return TRUE;
}

/* number = [+-]? [0-9]+ ( "." [0-9] [0-9]? )?  -> hundredths */
static gboolean
parse_number(const char *s, gint64 *r)
{
	gint64 sign = 1, n = 0;
	const char *p = s;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!g_ascii_isdigit(*p))
		return FALSE;
	for (; g_ascii_isdigit(*p); p++) {
		n = n * 10 + (*p - '0');
		if (n * 100 > MAX_NUMBER)
			return FALSE;
	}
	n *= 100;
	if (*p == '.') {
		p++;
		if (!g_ascii_isdigit(*p))
			return FALSE;
		n += (*p++ - '0') * 10;
		if (g_ascii_isdigit(*p))
			n += *p++ - '0';
	}
	if (*p != '\0')
		return FALSE;
	*r = sign * n;
	return TRUE;
}

static int
parse_level(const char *s)
{
	int level = tw_severity_parse(s);
	return level > TW_SEVERITY_NONE ? level : -1;
}

/* ---- statements --------------------------------------------------------- */

static void load_path(Loader *l, const char *path, guint depth);

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
statement_include(Loader *l, const char *line, const char *rest, guint depth)
{
	const char *start;
	g_autofree char *arg = next_word(&rest, &start);
	if (arg == NULL) {
		error_at(l, col_of(line, rest), "include needs a path");
		return;
	}
	if (*skip_blanks(rest) != '\0' && *skip_blanks(rest) != '#') {
		error_at(l, col_of(line, skip_blanks(rest)),
			 "include takes one path");
		return;
	}
	/* the including file's directory is a path, not a pattern */
	g_autofree char *dir = g_path_get_dirname(l->file);
	GString *escaped = g_string_new(NULL);
	for (const char *c = dir; *c; c++) {
		if (strchr("*?[\\", *c) != NULL)
			g_string_append_c(escaped, '\\');
		g_string_append_c(escaped, *c);
	}
	g_autofree char *edir = g_string_free(escaped, FALSE);
	g_autofree char *full = g_path_is_absolute(arg)
					? g_strdup(arg)
					: g_build_filename(edir, arg, NULL);
	glob_t g;
	/* byte order, as for directories, whatever the locale */
	int rc = glob(full, GLOB_ERR | GLOB_NOSORT, NULL, &g);
	if (rc == 0)
		qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), compare_strings);
	if (rc == GLOB_NOMATCH) {
		/* a pattern that matches nothing is fine; a name is not */
		if (strpbrk(arg, "*?[") == NULL)
			error_at(l, col_of(line, start), "include: %s: %s", arg,
				 g_strerror(ENOENT));
		return;
	}
	if (rc != 0) {
		error_at(l, col_of(line, start), "include: %s: cannot read",
			 arg);
		return;
	}
	/* the including file's state resumes after the include */
	const char *file = l->file;
	guint saved_line = l->line;
	GHashTable *rules = l->file_rules, *lists = l->file_lists;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		l->file = file;
		l->line = saved_line;
		l->include_col = col_of(line, start);
		load_path(l, g.gl_pathv[i], depth + 1);
	}
	l->include_col = 0;
	globfree(&g);
	l->file = file;
	l->line = saved_line;
	l->file_rules = rules;
	l->file_lists = lists;
}

static void
statement_threshold(Loader *l, const char *line, const char *rest)
{
	const char *start = NULL, *nstart = NULL;
	g_autofree char *copy = g_strdup(rest);
	cut_comment(copy);
	const char *p = copy;
	g_autofree char *level = next_word(&p, &start);
	g_autofree char *num = next_word(&p, &nstart);
	int sev = level ? parse_level(level) : -1;
	gint64 n;
	/* the column in @line of a position in @copy */
#define COPY_COL(q) (col_of(line, rest) + (guint)g_utf8_strlen(copy, (q)-copy))

	if (level == NULL || num == NULL) {
		error_at(l, COPY_COL(p),
			 "threshold needs a level and a number");
		return;
	}
	if (*skip_blanks(p) != '\0') {
		error_at(l, COPY_COL(skip_blanks(p)),
			 "threshold takes a level and a number, no more");
		return;
	}
	if (sev < 0) {
		error_at(l, COPY_COL(start),
			 "unknown level '%s' (critical, high, medium or low)",
			 level);
		return;
	}
	if (!parse_number(num, &n)) {
		error_at(l, COPY_COL(nstart), "bad number '%s'", num);
		return;
	}
#undef COPY_COL
	l->set->thresholds[sev] = n;
}

static void
statement_list(Loader *l, const char *line, const char *rest)
{
	const char *start;
	char *copy = g_strdup(rest);
	cut_comment(copy);
	const char *p = copy;
	g_autofree char *name = next_word(&p, &start);

	if (name == NULL || !is_name(name)) {
		error_at(
			l, col_of(line, skip_blanks(rest)),
			name ? "bad list name '%s' (upper case: [A-Z][A-Z0-9_]*)"
			     : "list needs a name%s",
			name ? name : "");
		g_free(copy);
		return;
	}
	gpointer first = g_hash_table_lookup(l->file_lists, name);
	if (first != NULL) {
		error_at(
			l, col_of(line, skip_blanks(rest)),
			"list %s defined twice in this file (first on line %u)",
			name, GPOINTER_TO_UINT(first));
		g_free(copy);
		return;
	}
	g_hash_table_insert(l->file_lists, g_strdup(name),
			    GUINT_TO_POINTER(l->line));
	RuleList *old = g_hash_table_lookup(l->set->lists, name);
	if (old != NULL)
		warn_at(l, col_of(line, skip_blanks(rest)),
			"list %s replaces the one in %s:%u", name, old->file,
			old->line);

	RuleList *list = g_new0(RuleList, 1);
	list->name = g_strdup(name);
	list->file = g_strdup(l->file);
	list->line = l->line;
	list->values =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_replace(l->set->lists, g_strdup(name), list);
	l->list = list;
	char *value;
	while ((value = next_word(&p, NULL)) != NULL) {
		char *lower = g_utf8_strdown(value, -1);
		g_hash_table_add(list->values, lower);
		g_free(value);
	}
	g_free(copy);
}

static void
statement_rule(Loader *l, const char *line, const char *rest)
{
	g_autofree char *copy = g_strdup(rest);
	cut_comment(copy);
	const char *p = copy;
	g_autofree char *name = next_word(&p, NULL);
	guint col = col_of(line, skip_blanks(rest));

	if (name == NULL || !is_name(name)) {
		if (name == NULL)
			error_at(l, col, "rule needs a name");
		else
			error_at(
				l, col,
				"bad rule name '%s' (upper case: [A-Z][A-Z0-9_]*)",
				name);
		l->rule = NULL;
		return;
	}
	if (*skip_blanks(p) != '\0') {
		error_at(l, col + (guint)g_utf8_strlen(name, -1) + 1,
			 "a rule line has only its name; its attributes go on "
			 "indented lines");
	}
	gpointer first = g_hash_table_lookup(l->file_rules, name);
	if (first != NULL) {
		error_at(
			l, col,
			"rule %s defined twice in this file (first on line %u)",
			name, GPOINTER_TO_UINT(first));
		l->rule = NULL;
		return;
	}
	g_hash_table_insert(l->file_rules, g_strdup(name),
			    GUINT_TO_POINTER(l->line));

	Rule *r = g_new0(Rule, 1);
	r->name = g_strdup(name);
	r->file = g_strdup(l->file);
	r->line = l->line;
	r->tags = g_ptr_array_new_with_free_func(g_free);
	r->floor = -1;
	r->cap = -1;

	gpointer index = g_hash_table_lookup(l->set->by_name, name);
	if (index != NULL) {
		/* a later file replaces the rule entirely, in its place */
		guint i = GPOINTER_TO_UINT(index) - 1;
		Rule *old = g_ptr_array_index(l->set->rules, i);
		warn_at(l, col, "rule %s redefines the one in %s:%u", name,
			old->file, old->line);
		tw_rules_rule_free(old);
		g_ptr_array_index(l->set->rules, i) = r;
	} else {
		g_ptr_array_add(l->set->rules, r);
		g_hash_table_insert(l->set->by_name, g_strdup(name),
				    GUINT_TO_POINTER(l->set->rules->len));
	}
	l->rule = r;
}

/* ---- expressions ------------------------------------------------------- */

typedef struct {
	Loader *l;
	const char *line;
	const char *p;
	guint depth;
	gboolean failed;
	const char *col_at; /* a position whose column is known: col */
	guint col;
} ExprParser;

/* The column of @p, counted on from the last one asked for: names come
 * left to right, and a long line must not be counted again for each. */
static guint
expr_col(ExprParser *e, const char *p)
{
	if (e->col_at == NULL || p < e->col_at) {
		e->col_at = e->line;
		e->col = 1;
	}
	e->col += (guint)g_utf8_strlen(e->col_at, p - e->col_at);
	e->col_at = p;
	return e->col;
}

/* The next token: "(", ")", or a word; NULL at the end. */
static char *
expr_token(ExprParser *e, const char **start_r, gboolean consume)
{
	const char *p = skip_blanks(e->p);
	const char *start = p;
	if (*p == '(' || *p == ')')
		p++;
	else
		while (*p && !is_blank(*p) && *p != '(' && *p != ')')
			p++;
	if (start_r != NULL)
		*start_r = start;
	if (consume)
		e->p = p;
	return p > start ? g_strndup(start, p - start) : NULL;
}

static Expr *expr_or(ExprParser *e);

static Expr *G_GNUC_PRINTF(3, 4)
	expr_fail(ExprParser *e, const char *at, const char *fmt, ...)
{
	if (!e->failed) {
		va_list ap;
		va_start(ap, fmt);
		g_autofree char *msg = g_strdup_vprintf(fmt, ap);
		va_end(ap);
		error_at(e->l, expr_col(e, at), "%s", msg);
	}
	e->failed = TRUE;
	return NULL;
}

static Expr *
expr_not(ExprParser *e)
{
	const char *start;
	g_autofree char *tok = expr_token(e, &start, TRUE);

	if (tok == NULL)
		return expr_fail(e, start, "expression ends early");
	if (++e->depth > MAX_EXPR_DEPTH)
		return expr_fail(e, start, "expression nested too deeply");
	Expr *x = NULL;
	if (strcmp(tok, "not") == 0) {
		Expr *a = expr_not(e);
		if (a != NULL) {
			x = g_new0(Expr, 1);
			x->kind = EXPR_NOT;
			x->a = a;
		}
	} else if (strcmp(tok, "(") == 0) {
		x = expr_or(e);
		const char *cstart;
		g_autofree char *close = expr_token(e, &cstart, TRUE);
		if (x != NULL && (close == NULL || strcmp(close, ")") != 0)) {
			tw_rules_expr_free(x);
			x = expr_fail(e, cstart, "expected ')'");
		}
	} else if (is_name(tok)) {
		x = g_new0(Expr, 1);
		x->kind = EXPR_NAME;
		x->name = g_strdup(tok);
		x->col = expr_col(e, start);
	} else {
		x = expr_fail(e, start,
			      "expected a rule name, 'not' or '(', not '%s'",
			      tok);
	}
	e->depth--;
	return x;
}

static Expr *
expr_binary(ExprParser *e, const char *op, ExprKind kind,
	    Expr *(*operand)(ExprParser *))
{
	Expr *x = operand(e);
	while (x != NULL) {
		g_autofree char *tok = expr_token(e, NULL, FALSE);
		if (tok == NULL || strcmp(tok, op) != 0)
			break;
		g_free(expr_token(e, NULL, TRUE));
		Expr *b = operand(e);
		if (b == NULL) {
			tw_rules_expr_free(x);
			return NULL;
		}
		Expr *y = g_new0(Expr, 1);
		y->kind = kind;
		y->a = x;
		y->b = b;
		x = y;
	}
	return x;
}

static Expr *
expr_and(ExprParser *e)
{
	return expr_binary(e, "and", EXPR_AND, expr_not);
}

static Expr *
expr_or(ExprParser *e)
{
	return expr_binary(e, "or", EXPR_OR, expr_and);
}

static Expr *
parse_expr(Loader *l, const char *line, const char *text)
{
	ExprParser e = {.l = l, .line = line, .p = text};
	Expr *x = expr_or(&e);
	if (x != NULL) {
		const char *start;
		g_autofree char *rest = expr_token(&e, &start, FALSE);
		if (rest != NULL) {
			tw_rules_expr_free(x);
			x = expr_fail(
				&e, start,
				"expected 'and', 'or' or the end, not '%s'",
				rest);
		}
	}
	return x;
}

/* ---- rule attributes ----------------------------------------------------- */

/* Only blanks and an optional comment may follow at @p. */
static gboolean
expect_end(Loader *l, const char *line, const char *p)
{
	p = skip_blanks(p);
	if (*p == '\0' || *p == '#')
		return TRUE;
	error_at(l, col_of(line, p), "unexpected '%s'", p);
	return FALSE;
}

static gboolean
set_test(Loader *l, Rule *r, TestKind kind, const char *line, const char *at)
{
	if (r->test != TEST_NONE) {
		error_at(l, col_of(line, at),
			 "rule %s has a test already (line %u): a rule has "
			 "exactly one",
			 r->name, r->test_line);
		return FALSE;
	}
	r->test = kind;
	r->test_line = l->line;
	r->test_col = col_of(line, at);
	return TRUE;
}

/* "/regex/flags" at @p (which points at the '/'); the rest in *end_r. */
static void
attr_pattern(Loader *l, Rule *r, const char *line, const char *p)
{
	const char *q = p + 1;
	while (*q && !(*q == '/' && q[-1] != '\\'))
		q++;
	if (*q != '/') {
		error_at(l, col_of(line, p), "pattern has no closing '/'");
		return;
	}
	const char *f = q + 1;
	while (*f && strchr("imsxn", *f))
		f++;
	if (*f != '\0' && !is_blank(*f)) {
		error_at(l, col_of(line, f),
			 "unknown pattern flag '%c' (flags are i, m, s, x, n)",
			 *f);
		return;
	}
	if (!expect_end(l, line, f))
		return;
	r->pattern = g_strndup(p + 1, q - p - 1);
	r->flags = g_strndup(q + 1, f - q - 1);
	r->pattern_col = col_of(line, p);
}

/* target [FIELD] ( /pattern/ | in NAME | @identity ) */
static void
attr_test(Loader *l, Rule *r, const char *line, const char *word_at,
	  Target target, const char *p)
{
	if (!set_test(l, r, TEST_NONE, line, word_at))
		return;
	r->test = TEST_NONE; /* set below once the form is known */
	r->target = target;
	if (target == TARGET_HEADER) {
		const char *fstart;
		g_autofree char *field = next_word(&p, &fstart);
		if (field != NULL && field[0] == '/') {
			error_at(l, col_of(line, fstart),
				 "header needs a field name before the "
				 "pattern");
			r->test = TEST_PATTERN; /* counted as the one test */
			return;
		}
		if (field == NULL || !is_field(field)) {
			error_at(l, col_of(line, field ? fstart : p),
				 field ? "bad header field name '%s'"
				       : "header needs a field name%s",
				 field ? field : "");
			r->test = TEST_PATTERN; /* counted as the one test */
			return;
		}
		r->field = g_steal_pointer(&field);
	}
	p = skip_blanks(p);
	if (*p == '/') {
		r->test = TEST_PATTERN;
		attr_pattern(l, r, line, p);
	} else if (strncmp(p, "in", 2) == 0 && (is_blank(p[2]) || !p[2])) {
		r->test = TEST_LIST;
		const char *nstart;
		const char *q = p + 2;
		g_autofree char *name = next_word(&q, &nstart);
		if (name == NULL || !is_name(name)) {
			error_at(l, col_of(line, name ? nstart : q),
				 "'in' needs a list name");
			return;
		}
		if (expect_end(l, line, q)) {
			r->list = g_steal_pointer(&name);
			r->list_col = col_of(line, nstart);
		}
	} else if (strncmp(p, "@identity", 9) == 0 &&
		   (is_blank(p[9]) || !p[9])) {
		r->test = TEST_IDENTITY;
		expect_end(l, line, p + 9);
	} else {
		r->test = TEST_PATTERN; /* counted as the one test */
		error_at(l, col_of(line, p),
			 *p ? "expected /pattern/, 'in LIST' or '@identity'"
			    : "%s needs /pattern/, 'in LIST' or '@identity'",
			 tw_rules_target_name(target));
	}
}

static void
attribute(Loader *l, const char *line, const char *p)
{
	Rule *r = l->rule;
	const char *word_at;
	g_autofree char *word = next_word(&p, &word_at);
	int target = tw_rules_target_parse(word);

	if (target >= 0) {
		attr_test(l, r, line, word_at, (Target)target, p);
		return;
	}
	if (strcmp(word, "describe") == 0) {
		/* the text is taken whole, '#' and all */
		g_free(r->describe);
		r->describe = g_strstrip(g_strdup(p));
		return;
	}
	if (strcmp(word, "when") == 0) {
		if (!set_test(l, r, TEST_WHEN, line, word_at))
			return;
		g_autofree char *copy = g_strdup(p);
		cut_comment(copy);
		/* columns count from the line, so parse within a copy of it */
		g_autofree char *head = g_strndup(line, p - line);
		g_autofree char *whole = g_strconcat(head, copy, NULL);
		r->when = parse_expr(l, whole, whole + (p - line));
		return;
	}

	g_autofree char *copy = g_strdup(p);
	cut_comment(copy);
	const char *q = copy;
	const char *astart;
	g_autofree char *arg = next_word(&q, &astart);
	guint acol = arg ? col_of(line, p) +
				     (guint)g_utf8_strlen(copy, astart - copy)
			 : col_of(line, p);

	if (strcmp(word, "score") == 0) {
		if (arg == NULL || !parse_number(arg, &r->score) ||
		    *skip_blanks(q) != '\0')
			error_at(l, acol,
				 "score needs a number such as 2, -3 or 1.5");
	} else if (strcmp(word, "tag") == 0) {
		if (arg == NULL)
			error_at(l, acol, "tag needs at least one tag");
		for (char *t = g_steal_pointer(&arg); t != NULL;
		     t = next_word(&q, &astart)) {
			if (!is_tag(t)) {
				error_at(
					l,
					col_of(line, p) +
						(guint)g_utf8_strlen(
							copy, astart - copy),
					"bad tag '%s' (lower case: [a-z][a-z0-9-]*)",
					t);
				g_free(t);
			} else {
				g_ptr_array_add(r->tags, t);
			}
		}
	} else if (strcmp(word, "severity") == 0) {
		int level = arg ? parse_level(arg) : -1;
		if (level < 0 || *skip_blanks(q) != '\0')
			error_at(
				l, acol,
				"severity needs critical, high, medium or low");
		else
			r->floor = level;
	} else if (strcmp(word, "cap") == 0) {
		int level = arg == NULL		       ? -1
			    : strcmp(arg, "none") == 0 ? TW_SEVERITY_NONE
						       : parse_level(arg);
		if (level < 0 || *skip_blanks(q) != '\0')
			error_at(
				l, acol,
				"cap needs critical, high, medium, low or none");
		else
			r->cap = level;
	} else if (strcmp(word, "suspect") == 0 || strcmp(word, "off") == 0) {
		if (arg != NULL)
			error_at(l, acol, "%s takes nothing after it", word);
		else if (word[0] == 's')
			r->suspect = TRUE;
		else
			r->off = TRUE;
	} else if (*skip_blanks(p) == '/' ||
		   (arg != NULL && (strcmp(arg, "in") == 0 ||
				    strcmp(arg, "@identity") == 0))) {
		error_at(l, col_of(line, word_at), "unknown target '%s'", word);
	} else {
		error_at(l, col_of(line, word_at), "unknown attribute '%s'",
			 word);
	}
}

/* ---- files --------------------------------------------------------------- */

static void
read_lines(Loader *l, char *text, guint depth)
{
	l->rule = NULL;
	l->list = NULL;
	l->line = 0;
	for (char *next, *line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		l->line++;
		gsize len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';

		const char *p = skip_blanks(line);
		if (*p == '\0' || *p == '#')
			continue; /* never ends a rule or a list */
		if (p > line) {
			if (l->rule != NULL)
				attribute(l, line, p);
			else if (l->list != NULL) {
				g_autofree char *copy = g_strdup(p);
				cut_comment(copy);
				const char *q = copy;
				char *value;
				while ((value = next_word(&q, NULL)) != NULL) {
					g_hash_table_add(
						l->list->values,
						g_utf8_strdown(value, -1));
					g_free(value);
				}
			} else if (!l->orphans_ok) {
				error_at(
					l, col_of(line, p),
					"indented line outside a rule or list");
			}
			continue;
		}

		l->rule = NULL;
		l->list = NULL;
		const char *rest = p;
		g_autofree char *word = next_word(&rest, NULL);
		guint errors = l->errors;
		if (strcmp(word, "include") == 0)
			statement_include(l, line, rest, depth);
		else if (strcmp(word, "threshold") == 0)
			statement_threshold(l, line, rest);
		else if (strcmp(word, "list") == 0)
			statement_list(l, line, rest);
		else if (strcmp(word, "rule") == 0)
			statement_rule(l, line, rest);
		else
			error_at(l, 1,
				 "unknown statement '%s' (include, threshold, "
				 "list or rule)",
				 word);
		/* the indented lines of a statement in error would only
		 * repeat it */
		l->orphans_ok = l->errors > errors;
	}
}

static void
load_file(Loader *l, const char *path, guint depth)
{
	g_autofree char *canon = g_canonicalize_filename(path, NULL);
	for (guint i = 0; i < l->stack->len; i++) {
		if (strcmp(g_ptr_array_index(l->stack, i), canon) != 0)
			continue;
		GString *chain = g_string_new(NULL);
		for (guint j = i; j < l->stack->len; j++)
			g_string_append_printf(
				chain, "%s -> ",
				(char *)g_ptr_array_index(l->stack, j));
		g_string_append(chain, canon);
		error_at(l, l->include_col, "include cycle: %s", chain->str);
		g_string_free(chain, TRUE);
		return;
	}
	/* a file included twice on different paths is read once */
	if (g_hash_table_contains(l->loaded, canon))
		return;
	if (depth > MAX_INCLUDE_DEPTH) {
		error_at(l, l->include_col, "includes nested deeper than %d",
			 MAX_INCLUDE_DEPTH);
		return;
	}

	g_autofree char *text = NULL;
	gsize len = 0;
	g_autoptr(GError) error = NULL;
	const char *parent = l->file;
	guint parent_line = l->line;
	if (!g_file_get_contents(path, &text, &len, &error)) {
		tw_rules_diag(l->diags, TW_DIAG_ERROR, path, 0, 0, "%s",
			      error->message);
		l->errors++;
		return;
	}
	g_hash_table_add(l->loaded, g_strdup(canon));
	if (len > MAX_RULE_FILE) {
		tw_rules_diag(l->diags, TW_DIAG_ERROR, path, 0, 0,
			      "larger than %d MiB", MAX_RULE_FILE >> 20);
		l->errors++;
		return;
	}
	/* the first NUL or invalid byte, and its line */
	const char *bad = memchr(text, '\0', len);
	const char *invalid = NULL;
	if (!g_utf8_validate(text, bad ? bad - text : (gssize)len, &invalid))
		bad = invalid;
	if (bad != NULL) {
		guint line = 1;
		for (const char *c = text; c < bad; c++)
			line += *c == '\n';
		tw_rules_diag(l->diags, TW_DIAG_ERROR, path, line, 0,
			      "not valid UTF-8 text");
		l->errors++;
		return;
	}
	/* a control character is never meant: an editor or a script wrote
	 * it (a "\b" that became a backspace), and in a pattern it would
	 * silently match nothing */
	guint ctl_line = 1;
	const char *line_start = text;
	for (const char *c = text; c < text + len; c++) {
		if (*c == '\n') {
			ctl_line++;
			line_start = c + 1;
		} else if (((guchar)*c < 0x20 && *c != '\t' && *c != '\r') ||
			   *c == 0x7f) {
			tw_rules_diag(l->diags, TW_DIAG_ERROR, path, ctl_line,
				      (guint)g_utf8_strlen(line_start,
							   c - line_start) +
					      1,
				      "control character U+%04X in a rule "
				      "file",
				      (guchar)*c);
			l->errors++;
			return;
		}
	}
	l->file = path;

	g_ptr_array_add(l->stack, g_strdup(canon));
	GHashTable *rules = l->file_rules, *lists = l->file_lists;
	l->file_rules =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	l->file_lists =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	read_lines(l, text, depth);
	g_hash_table_unref(l->file_rules);
	g_hash_table_unref(l->file_lists);
	l->file_rules = rules;
	l->file_lists = lists;
	g_ptr_array_remove_index(l->stack, l->stack->len - 1);
	l->file = parent;
	l->line = parent_line;
	l->rule = NULL;
	l->list = NULL;
}

static void
load_path(Loader *l, const char *path, guint depth)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		tw_rules_diag(l->diags, TW_DIAG_ERROR, path, 0, 0, "%s",
			      g_strerror(errno));
		l->errors++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		load_file(l, path, depth);
		return;
	}
	/* a directory: its *.rules files in byte order of their names; one
	 * that cannot be read is an error, never a set with no rules */
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	if (dir == NULL) {
		int saved = access(path, R_OK | X_OK) != 0 ? errno : EIO;
		tw_rules_diag(l->diags, TW_DIAG_ERROR, path, 0, 0, "%s",
			      g_strerror(saved));
		l->errors++;
		return;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(dir)) != NULL)
		if (g_str_has_suffix(name, ".rules") && name[0] != '.')
			g_ptr_array_add(names,
					g_build_filename(path, name, NULL));
	if (names->len == 0)
		tw_rules_diag(l->diags, TW_DIAG_WARNING, path, 0, 0,
			      "no .rules files in this directory");
	g_ptr_array_sort(names, compare_strings);
	for (guint i = 0; i < names->len; i++)
		load_file(l, g_ptr_array_index(names, i), depth);
}

/* ---- resolution ------------------------------------------------------ */

static void
resolve_expr(Loader *l, Rule *r, Expr *e)
{
	if (e == NULL)
		return;
	if (e->kind == EXPR_NAME) {
		gpointer index = g_hash_table_lookup(l->set->by_name, e->name);
		if (index == NULL) {
			l->file = r->file;
			l->line = r->test_line;
			error_at(l, e->col, "unknown rule '%s'", e->name);
			e->rule = G_MAXUINT; /* uses nothing */
		} else {
			e->rule = GPOINTER_TO_UINT(index) - 1;
		}
		return;
	}
	resolve_expr(l, r, e->a);
	resolve_expr(l, r, e->b);
}

static gboolean
expr_uses(const Expr *e, guint rule)
{
	if (e == NULL)
		return FALSE;
	if (e->kind == EXPR_NAME)
		return e->rule == rule;
	return expr_uses(e->a, rule) || expr_uses(e->b, rule);
}

/* Depth-first over when-rules: order them after what they use; cycles. */
static gboolean
visit(Loader *l, guint i, guint8 *state, GArray *order, GArray *path)
{
	TwRuleSet *set = l->set;
	if (state[i] == 2)
		return TRUE;
	if (state[i] == 1) {
		GString *chain = g_string_new(NULL);
		gboolean in = FALSE;
		for (guint j = 0; j < path->len; j++) {
			guint k = g_array_index(path, guint, j);
			in = in || k == i;
			if (in) {
				Rule *rk = g_ptr_array_index(set->rules, k);
				g_string_append_printf(chain, "%s -> ",
						       rk->name);
			}
		}
		Rule *r = g_ptr_array_index(set->rules, i);
		g_string_append(chain, r->name);
		l->file = r->file;
		l->line = r->test_line;
		error_at(l, r->test_col, "cycle in when: %s", chain->str);
		g_string_free(chain, TRUE);
		return FALSE;
	}
	state[i] = 1;
	g_array_append_val(path, i);
	Rule *r = g_ptr_array_index(set->rules, i);
	gboolean ok = TRUE;
	if (r->test == TEST_WHEN) {
		for (guint j = 0; j < set->rules->len && ok; j++)
			if (expr_uses(r->when, j))
				ok = visit(l, j, state, order, path);
	}
	g_array_set_size(path, path->len - 1);
	state[i] = 2;
	g_array_append_val(order, i);
	return ok;
}

static void
resolve(Loader *l)
{
	TwRuleSet *set = l->set;
	guint n = set->rules->len;

	for (guint i = 0; i < n; i++) {
		Rule *r = g_ptr_array_index(set->rules, i);
		l->file = r->file;
		l->line = r->line;
		/* "off" alone is how a local file silences a shipped rule */
		if (r->test == TEST_NONE && r->test_line == 0 && !r->broken &&
		    !r->off) {
			error_at(l, 1, "rule %s has no test", r->name);
			continue;
		}
		if (r->test == TEST_LIST && r->list != NULL) {
			r->set_list = g_hash_table_lookup(set->lists, r->list);
			if (r->set_list == NULL) {
				l->line = r->test_line;
				error_at(l, r->list_col, "unknown list '%s'",
					 r->list);
			}
		}
		if (r->test == TEST_WHEN)
			resolve_expr(l, r, r->when);
	}

	/* tests first, in definition order; when-rules after what they use */
	g_autofree guint8 *state = g_new0(guint8, n);
	GArray *order = g_array_sized_new(FALSE, FALSE, sizeof(guint), n);
	GArray *path = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < n; i++) {
		Rule *r = g_ptr_array_index(set->rules, i);
		if (r->test != TEST_WHEN) {
			g_array_append_val(order, i);
			state[i] = 2;
		}
	}
	/* every cycle is reported once: a rule in one is left marked */
	for (guint i = 0; i < n; i++)
		visit(l, i, state, order, path);
	g_array_unref(path);
	set->order = (guint *)g_array_free(order, FALSE);
}

/* ---- the rule set --------------------------------------------------- */

static void
list_free_cb(gpointer p)
{
	tw_rules_list_free(p);
}

static TwRuleSet *
set_new(const TwLimits *limits)
{
	TwRuleSet *set = g_new0(TwRuleSet, 1);
	set->rules = g_ptr_array_new();
	set->by_name =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	set->lists = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   list_free_cb);
	/* rules.md: critical 10, high 6, medium 3, low 1 */
	set->thresholds[TW_SEVERITY_CRITICAL] = 1000;
	set->thresholds[TW_SEVERITY_HIGH] = 600;
	set->thresholds[TW_SEVERITY_MEDIUM] = 300;
	set->thresholds[TW_SEVERITY_LOW] = 100;
	set->limits = *limits;
	return set;
}

void
tw_rules_free(TwRuleSet *set)
{
	if (set == NULL)
		return;
	for (guint i = 0; i < set->rules->len; i++)
		tw_rules_rule_free(g_ptr_array_index(set->rules, i));
	g_ptr_array_unref(set->rules);
	g_hash_table_unref(set->by_name);
	g_hash_table_unref(set->lists);
	g_free(set->order);
	tw_rules_prefilter_free(set->prefilter);
	g_free(set);
}

guint
tw_rules_count(const TwRuleSet *set)
{
	return set->rules->len;
}

const char *
tw_rules_name(const TwRuleSet *set, guint i)
{
	const Rule *r = g_ptr_array_index(set->rules, i);
	return r->name;
}

/* Targets whose text is long enough for a prefilter pass to pay. */
static gboolean
prefiltered_target(Target t)
{
	return t == TARGET_SUBJECT || t == TARGET_BODY || t == TARGET_RAWBODY ||
	       t == TARGET_ANY;
}

/* The ids of @lits in the set's literals, each added once. */
static guint32 *
literal_ids(GPtrArray *literals, GHashTable *ids, GPtrArray *lits)
{
	guint32 *out = g_new(guint32, lits->len);
	for (guint k = 0; k < lits->len; k++) {
		char *lit = g_ptr_array_index(lits, k);
		gpointer id = g_hash_table_lookup(ids, lit);
		if (id == NULL) {
			char *own = g_strdup(lit);
			g_ptr_array_add(literals, own);
			id = GUINT_TO_POINTER(literals->len);
			g_hash_table_insert(ids, own, id);
		}
		out[k] = GPOINTER_TO_UINT(id) - 1;
	}
	return out;
}

static void
probes_free(Rule *r)
{
	for (guint k = 0; k < r->nprobes; k++) {
		if (r->probes[k].code != NULL)
			pcre2_code_free(r->probes[k].code);
		g_free(r->probes[k].lits);
	}
	g_clear_pointer(&r->probes, g_free);
	r->nprobes = 0;
}

/* The rule's alternatives as probes, when it has some worth splitting. */
static void
build_probes(Rule *r, GPtrArray *literals, GHashTable *ids)
{
	g_autoptr(GPtrArray) branches =
		tw_rules_prefilter_branches(r->pattern, r->flags);
	if (branches == NULL)
		return;
	r->probes = g_new0(Probe, branches->len);
	r->nprobes = branches->len;
	for (guint k = 0; k < branches->len; k++) {
		const TwBranch *b = g_ptr_array_index(branches, k);
		Probe *p = &r->probes[k];
		p->code = tw_rules_compile_probe(r, b->pattern);
		if (p->code == NULL) {
			/* cannot happen for a pattern PCRE2 took whole; if
			 * it does, the rule runs unsplit */
			probes_free(r);
			return;
		}
		if (b->lits != NULL) {
			p->lits = literal_ids(literals, ids, b->lits);
			p->nlits = b->lits->len;
		}
	}
}

void
tw_rules_prefilter_build(TwRuleSet *set)
{
	g_autoptr(GPtrArray) literals = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < set->rules->len; i++) {
		Rule *r = g_ptr_array_index(set->rules, i);
		if (r->test != TEST_PATTERN || r->code == NULL ||
		    !prefiltered_target(r->target))
			continue;
		g_autoptr(GPtrArray) lits =
			tw_rules_prefilter_literals(r->pattern, r->flags);
		if (lits != NULL) {
			r->lits = literal_ids(literals, ids, lits);
			r->nlits = lits->len;
		}
		build_probes(r, literals, ids);
	}
	if (literals->len > 0)
		set->prefilter = tw_rules_prefilter_new(literals);
}

/* Warn about two rules with the same test: one of them is redundant. */
static void
warn_duplicates(Loader *l)
{
	g_autoptr(GHashTable) seen =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < l->set->rules->len; i++) {
		Rule *r = g_ptr_array_index(l->set->rules, i);
		if (r->test != TEST_PATTERN || r->pattern == NULL)
			continue;
		char *key = g_strdup_printf("%d\x1f%s\x1f%s\x1f%s", r->target,
					    r->field ? r->field : "",
					    r->pattern, r->flags);
		Rule *first = g_hash_table_lookup(seen, key);
		if (first != NULL) {
			tw_rules_diag(l->diags, TW_DIAG_WARNING, r->file,
				      r->test_line, r->pattern_col,
				      "rule %s has the same pattern as %s "
				      "(%s:%u)",
				      r->name, first->name, first->file,
				      first->test_line);
			g_free(key);
		} else {
			g_hash_table_insert(seen, key, r);
		}
	}
}

typedef struct {
	guint rank; /* the order in which its file first had a problem */
	TwDiag *diag;
} Ranked;

static int
ranked_cmp(gconstpointer a, gconstpointer b)
{
	const Ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->diag->line != y->diag->line)
		return x->diag->line < y->diag->line ? -1 : 1;
	if (x->diag->col != y->diag->col)
		return x->diag->col < y->diag->col ? -1 : 1;
	return 0;
}

/* Each file's problems together, in line order (the sort is stable). */
static void
sort_diags(GPtrArray *diags, guint from)
{
	g_autoptr(GHashTable) ranks = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GArray) ranked = g_array_new(FALSE, FALSE, sizeof(Ranked));
	for (guint i = from; i < diags->len; i++) {
		TwDiag *d = g_ptr_array_index(diags, i);
		if (!g_hash_table_contains(ranks, d->file))
			g_hash_table_insert(
				ranks, d->file,
				GUINT_TO_POINTER(g_hash_table_size(ranks)));
		Ranked r = {
			GPOINTER_TO_UINT(g_hash_table_lookup(ranks, d->file)),
			d};
		g_array_append_val(ranked, r);
	}
	g_array_sort(ranked, ranked_cmp);
	for (guint i = 0; i < ranked->len; i++)
		g_ptr_array_index(diags, from + i) =
			g_array_index(ranked, Ranked, i).diag;
}

TwRuleSet *
tw_rules_load(char *const *paths, const TwLimits *limits, GPtrArray *diags,
	      GError **error)
{
	g_autoptr(GPtrArray) own = NULL;
	if (diags == NULL)
		diags = own = g_ptr_array_new_with_free_func(
			(GDestroyNotify)tw_diag_free);
	guint first_diag = diags->len;

	Loader l = {
		.diags = diags,
		.set = set_new(limits),
		.loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						NULL),
		.stack = g_ptr_array_new_with_free_func(g_free),
	};
	for (char *const *p = paths; p != NULL && *p != NULL; p++) {
		if (**p == '\0')
			continue;
		load_path(&l, *p, 0);
	}
	for (guint i = 0; i < l.set->rules->len; i++) {
		Rule *r = g_ptr_array_index(l.set->rules, i);
		if (r->test == TEST_PATTERN && r->pattern != NULL &&
		    !tw_rules_compile_pattern(r, diags))
			l.errors++;
	}
	resolve(&l);
	warn_duplicates(&l);
	sort_diags(diags, first_diag);

	for (guint i = 0; i < l.set->rules->len; i++) {
		Rule *r = g_ptr_array_index(l.set->rules, i);
		if (r->code != NULL) {
			uint32_t pairs = 0;
			pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT,
					   &pairs);
			l.set->max_pairs = MAX(l.set->max_pairs, pairs + 1);
		}
	}
	g_hash_table_unref(l.loaded);
	g_ptr_array_unref(l.stack);
	if (l.errors == 0)
		tw_rules_prefilter_build(l.set);
	if (l.errors > 0) {
		g_set_error(error, TW_ERROR, TW_ERROR_DATA,
			    "%u error%s in the rules", l.errors,
			    l.errors == 1 ? "" : "s");
		tw_rules_free(l.set);
		return NULL;
	}
	return l.set;
}
