/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The prefilter: literals every match of a pattern must contain, found for
 * all rules in one pass over a text (Aho-Corasick), so that PCRE2 runs only
 * where a pattern can match.  PCRE2 still decides every match: the
 * prefilter only skips patterns whose required literals are absent, so it
 * changes speed, never a verdict.
 */
#include "config.h"

#include <string.h>

#include "rules-private.h"

/* Shorter literals would pass nearly every text: no use as a filter. */
#define MIN_LITERAL 3

/* ---- required literals of a pattern ------------------------------------ */

/*
 * A requirement: every match contains at least one of @lits (lower-case
 * ASCII); @any when nothing is known.
 */
typedef struct {
	gboolean any;
	GPtrArray *lits; /* char*, owned */
} Req;

typedef struct {
	const char *p;
	gboolean caseless;
	gboolean give_up; /* a construct this analysis does not model */
} Lex;

static Req
req_any(void)
{
	return (Req){.any = TRUE, .lits = NULL};
}

static void
req_clear(Req *r)
{
	if (r->lits != NULL)
		g_ptr_array_unref(r->lits);
	*r = req_any();
}

/* The smaller the worse: a requirement's weakest literal. */
static gsize
req_strength(const Req *r)
{
	gsize min = G_MAXSIZE;
	if (r->any || r->lits == NULL || r->lits->len == 0)
		return 0;
	for (guint i = 0; i < r->lits->len; i++)
		min = MIN(min, strlen(g_ptr_array_index(r->lits, i)));
	return min;
}

/* Keep the better of *best and @cand (cand is consumed). */
static void
req_better(Req *best, Req cand)
{
	gsize a = req_strength(best), b = req_strength(&cand);
	if (b > a || (b == a && b > 0 && cand.lits->len < best->lits->len)) {
		req_clear(best);
		*best = cand;
	} else {
		req_clear(&cand);
	}
}

/* Does @s have a letter whose case PCRE2 folds beyond ASCII? */
static gboolean
has_cased_non_ascii(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		GUnicodeType t = g_unichar_type(c);
		/* ß has no simple upper case, yet PCRE2 pairs it with ẞ */
		if (c >= 0x80 &&
		    (t == G_UNICODE_LOWERCASE_LETTER ||
		     t == G_UNICODE_UPPERCASE_LETTER ||
		     t == G_UNICODE_TITLECASE_LETTER ||
		     g_unichar_toupper(c) != c || g_unichar_tolower(c) != c))
			return TRUE;
	}
	return FALSE;
}

/* The end of the character class that opens at @p ('['), past its ']'. */
static const char *
class_end(const char *p)
{
	const char *q = p + 1;
	if (*q == '^')
		q++;
	if (*q == ']')
		q++;
	while (*q && *q != ']') {
		if (*q == '\\' && q[1])
			q += 2;
		else if (q[0] == '[' && q[1] == ':') {
			const char *e = strstr(q + 2, ":]");
			q = e ? e + 2 : q + 1;
		} else
			q++;
	}
	return *q ? q + 1 : q;
}

/* Escapes that stand for one literal character. */
static gboolean
literal_escape(char c)
{
	return !g_ascii_isalnum(c) && c != '\0';
}

/*
 * The literal run being read, as its variants: a small class of literal
 * characters multiplies them ("侵[权權]" is 侵权 or 侵權), so that the
 * traditional forms of Chinese patterns keep their literals.
 */
#define MAX_VARIANTS 16

static GPtrArray *
runs_new(void)
{
	GPtrArray *runs = g_ptr_array_new();
	g_ptr_array_add(runs, g_string_new(NULL));
	return runs;
}

static void
runs_free(GPtrArray *runs)
{
	for (guint i = 0; i < runs->len; i++)
		g_string_free(g_ptr_array_index(runs, i), TRUE);
	g_ptr_array_unref(runs);
}

static void
runs_append(GPtrArray *runs, const char *s, gsize n)
{
	for (guint i = 0; i < runs->len; i++)
		g_string_append_len(g_ptr_array_index(runs, i), s, (gssize)n);
}

/* A literal run as a requirement, if it is long enough to filter; the run
 * starts again, empty. */
static Req
req_run(Lex *lx, GPtrArray *runs)
{
	Req r = req_any();
	gboolean usable = TRUE;
	for (guint i = 0; i < runs->len && usable; i++) {
		const GString *run = g_ptr_array_index(runs, i);
		usable = run->len >= MIN_LITERAL &&
			 !(lx->caseless && has_cased_non_ascii(run->str));
	}
	if (usable) {
		r.any = FALSE;
		r.lits = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i < runs->len; i++) {
			const GString *run = g_ptr_array_index(runs, i);
			char *lit = g_ascii_strdown(run->str, -1);
			gboolean dup = FALSE;
			for (guint k = 0; k < r.lits->len && !dup; k++)
				dup = strcmp(g_ptr_array_index(r.lits, k),
					     lit) == 0;
			if (dup)
				g_free(lit);
			else
				g_ptr_array_add(r.lits, lit);
		}
	}
	for (guint i = 0; i < runs->len; i++)
		g_string_free(g_ptr_array_index(runs, i), TRUE);
	g_ptr_array_set_size(runs, 0);
	g_ptr_array_add(runs, g_string_new(NULL));
	return r;
}

/*
 * The members of the class at @p ('[') when it is a few literal
 * characters (no negation, range, escape other than a literal one, or
 * POSIX class), each as a UTF-8 string; NULL otherwise.  *end_r is past
 * the class.
 */
static GPtrArray *
small_class(const char *p, const char **end_r)
{
	const char *q = p + 1;
	if (*q == '^' || *q == ']')
		return NULL;
	GPtrArray *members = g_ptr_array_new_with_free_func(g_free);
	while (*q && *q != ']') {
		const char *c = q;
		if (*q == '\\' && literal_escape(q[1])) {
			c = q + 1;
			q += 2;
		} else if (*q == '\\' || *q == '[' || *q == '-') {
			break;
		} else {
			q = g_utf8_next_char(q);
		}
		if (*q == '-' && q[1] != ']')
			break; /* a range */
		g_ptr_array_add(members, g_strndup(c, (gsize)(q - c)));
	}
	if (*q != ']' || members->len == 0 || members->len > 4) {
		g_ptr_array_unref(members);
		return NULL;
	}
	*end_r = q + 1;
	return members;
}

/* Each run followed by each of @members. */
static void
runs_multiply(GPtrArray *runs, const GPtrArray *members)
{
	guint n = runs->len;
	for (guint m = 1; m < members->len; m++)
		for (guint i = 0; i < n; i++) {
			const GString *run = g_ptr_array_index(runs, i);
			GString *copy = g_string_new_len(run->str, run->len);
			g_string_append(copy, g_ptr_array_index(members, m));
			g_ptr_array_add(runs, copy);
		}
	for (guint i = 0; i < n; i++)
		g_string_append(g_ptr_array_index(runs, i),
				g_ptr_array_index(members, 0));
}

/* The minimum repetition of the quantifier at lx->p (1 when none). */
static guint
quantifier(Lex *lx)
{
	const char *p = lx->p;
	guint min = 1;
	if (*p == '*' || *p == '?') {
		min = 0;
		p++;
	} else if (*p == '+') {
		p++;
	} else if (*p == '{' && g_ascii_isdigit(p[1])) {
		const char *q = p + 1;
		guint n = 0;
		while (g_ascii_isdigit(*q))
			n = n * 10 + (guint)(*q++ - '0');
		if (*q == ',')
			for (q++; g_ascii_isdigit(*q); q++)
				;
		if (*q != '}')
			return 1; /* a literal '{' */
		min = MIN(n, 2);
		p = q + 1;
	} else {
		return 1;
	}
	if (*p == '?' || *p == '+') /* lazy, possessive */
		p++;
	lx->p = p;
	return min;
}

static gboolean
at_quantifier(const char *p)
{
	return *p == '*' || *p == '+' || *p == '?' ||
	       (*p == '{' && g_ascii_isdigit(p[1]));
}

static Req parse_alt(Lex *lx);

static Req
parse_seq(Lex *lx)
{
	Req best = req_any();
	GPtrArray *run = runs_new();

	while (*lx->p && *lx->p != '|' && *lx->p != ')' && !lx->give_up) {
		const char *p = lx->p;
		if (*p == '\\' && literal_escape(p[1])) {
			lx->p = p + 2;
			char c = p[1];
			guint min = quantifier(lx);
			if (min == 0) {
				req_better(&best, req_run(lx, run));
			} else {
				runs_append(run, &c, 1);
				if (lx->p != p + 2) /* repeated: run ends */
					req_better(&best, req_run(lx, run));
			}
			continue;
		}
		if (*p == '\\') {
			/* \d \s \b \x{..} \p{..} \Q: not a literal character */
			if (p[1] == 'Q' || p[1] == 'E' || p[1] == 'g' ||
			    p[1] == 'k' || g_ascii_isdigit(p[1])) {
				lx->give_up = TRUE;
				break;
			}
			lx->p = p + 2;
			if ((p[1] == 'x' || p[1] == 'p' || p[1] == 'P' ||
			     p[1] == 'o') &&
			    *lx->p == '{') {
				const char *e = strchr(lx->p, '}');
				lx->p = e ? e + 1 : lx->p + strlen(lx->p);
			} else if (p[1] == 'x') {
				while (g_ascii_isxdigit(*lx->p) &&
				       lx->p - p < 4)
					lx->p++;
			} else if (p[1] == 'c' && *lx->p) {
				lx->p++;
			}
			req_better(&best, req_run(lx, run));
			quantifier(lx);
			continue;
		}
		const char *cend;
		g_autoptr(GPtrArray) members =
			*p == '[' ? small_class(p, &cend) : NULL;
		if (members != NULL) {
			lx->p = cend;
			guint min = quantifier(lx);
			if (min == 0) {
				req_better(&best, req_run(lx, run));
				continue;
			}
			if (run->len * members->len > MAX_VARIANTS)
				req_better(&best, req_run(lx, run));
			runs_multiply(run, members);
			if (lx->p != cend) /* repeated: run ends */
				req_better(&best, req_run(lx, run));
			continue;
		}
		if (*p == '[') {
			lx->p = class_end(p);
			req_better(&best, req_run(lx, run));
			quantifier(lx);
			continue;
		}
		if (*p == '(') {
			req_better(&best, req_run(lx, run));
			lx->p = p + 1;
			gboolean lookaround = FALSE;
			if (*lx->p == '*') { /* (*VERB) */
				lx->give_up = TRUE;
				break;
			}
			if (*lx->p == '?') {
				const char *q = lx->p + 1;
				if (*q == ':' || *q == '>' || *q == '|') {
					lx->p = q + 1;
				} else if (*q == '=' || *q == '!') {
					lx->p = q + 1;
					lookaround = TRUE;
				} else if (*q == '<' &&
					   (q[1] == '=' || q[1] == '!')) {
					lx->p = q + 2;
					lookaround = TRUE;
				} else if (*q == '<' || *q == '\'' ||
					   (*q == 'P' && q[1] == '<')) {
					const char *e = strpbrk(q + 1, ">'");
					if (e == NULL) {
						lx->give_up = TRUE;
						break;
					}
					lx->p = e + 1;
				} else if (*q == '#') {
					const char *e = strchr(q, ')');
					lx->p = e ? e + 1 : q + strlen(q);
					continue;
				} else {
					/* inline options: (?i) (?-i) (?i:...) */
					const char *o = q;
					while (g_ascii_isalpha(*o) ||
					       *o == '-' || *o == '^')
						o++;
					if (o == q ||
					    (*o != ')' && *o != ':')) {
						lx->give_up =
							TRUE; /* (?R) (?( ... */
						break;
					}
					for (const char *c = q; c < o; c++) {
						if (*c == 'x')
							lx->give_up = TRUE;
						if (*c == 'i')
							lx->caseless = TRUE;
					}
					lx->p = o + 1;
					if (*o == ')')
						continue; /* applies to what follows */
				}
			}
			Req inner = parse_alt(lx);
			if (*lx->p == ')')
				lx->p++;
			else
				lx->give_up = TRUE;
			guint min = quantifier(lx);
			if (lookaround || min == 0)
				req_clear(&inner);
			req_better(&best, inner);
			continue;
		}
		if (*p == '.' || *p == '^' || *p == '$') {
			lx->p = p + 1;
			req_better(&best, req_run(lx, run));
			quantifier(lx);
			continue;
		}
		/* a literal character (whole, in UTF-8) */
		const char *next = g_utf8_next_char(p);
		lx->p = next;
		if (at_quantifier(lx->p)) {
			guint min = quantifier(lx);
			if (min == 0) {
				req_better(&best, req_run(lx, run));
				continue;
			}
			runs_append(run, p, (gsize)(next - p));
			req_better(&best, req_run(lx, run));
			continue;
		}
		runs_append(run, p, (gsize)(next - p));
	}
	req_better(&best, req_run(lx, run));
	runs_free(run);
	return best;
}

static Req
parse_alt(Lex *lx)
{
	Req all = parse_seq(lx);
	while (*lx->p == '|' && !lx->give_up) {
		lx->p++;
		Req next = parse_seq(lx);
		if (all.any || next.any) {
			req_clear(&all);
			req_clear(&next);
			continue;
		}
		for (guint i = 0; i < next.lits->len; i++)
			g_ptr_array_add(all.lits, g_strdup(g_ptr_array_index(
							  next.lits, i)));
		req_clear(&next);
	}
	return all;
}

GPtrArray *
tw_rules_prefilter_literals(const char *pattern, const char *flags)
{
	/* in extended mode white space and comments are not literals */
	if (strchr(flags, 'x') != NULL)
		return NULL;
	Lex lx = {.p = pattern, .caseless = strchr(flags, 'i') != NULL};
	/* (?i) anywhere: be conservative and treat all as caseless */
	if (strstr(pattern, "(?") != NULL) {
		for (const char *q = pattern; (q = strstr(q, "(?")) != NULL;
		     q += 2) {
			const char *o = q + 2;
			while (g_ascii_isalpha(*o) || *o == '-' || *o == '^') {
				if (*o == 'i')
					lx.caseless = TRUE;
				o++;
			}
		}
	}
	Req r = parse_alt(&lx);
	if (lx.give_up || *lx.p != '\0' || r.any) {
		req_clear(&r);
		return NULL;
	}
	return r.lits;
}

/* ---- alternatives ------------------------------------------------------ */

/*
 * A pattern of many alternatives runs each of them at every position of
 * the text, although the text holds the literals of only a few.  Split at
 * the top level, each alternative is a pattern of its own with its own
 * literals, and the evaluator runs only those whose literals are there.
 * A split keeps what the pattern means only where every alternative can
 * stand alone, so it is made only for patterns without the constructs that
 * tie one alternative to another.
 */

static gboolean
option_letter(char c)
{
	return g_ascii_isalpha(c) || c == '-' || c == '^';
}

/*
 * Back references and subroutine calls (their group may be in another
 * alternative), branch resets, conditionals, verbs, callouts, \Q...\E and
 * comments: a split could change what they mean, so none is attempted.
 */
static gboolean
splittable(const char *p)
{
	while (*p) {
		if (*p == '\\') {
			char c = p[1];
			if (c == 'Q' || c == 'E' || c == 'g' || c == 'k' ||
			    g_ascii_isdigit(c) || c == '\0')
				return FALSE;
			p += 2;
		} else if (*p == '[') {
			p = class_end(p);
		} else if (*p == '(') {
			const char *q = p + 1;
			if (*q == '*')
				return FALSE;
			if (*q == '?') {
				q++;
				if (*q == 'R' || *q == '&' || *q == '(' ||
				    *q == '|' || *q == 'C' || *q == '#' ||
				    *q == '+' || g_ascii_isdigit(*q) ||
				    (*q == '-' && g_ascii_isdigit(q[1])) ||
				    (*q == 'P' && (q[1] == '>' || q[1] == '=')))
					return FALSE;
			}
			p++;
		} else {
			p++;
		}
	}
	return TRUE;
}

/* The ')' that closes the group opening at @p, or NULL. */
static const char *
group_close(const char *p, const char *end)
{
	int depth = 0;
	while (p < end) {
		if (*p == '\\') {
			p += 2;
		} else if (*p == '[') {
			p = class_end(p);
		} else if (*p == '(') {
			depth++;
			p++;
		} else if (*p == ')') {
			if (--depth == 0)
				return p;
			p++;
		} else {
			p++;
		}
	}
	return NULL;
}

/* The length of the opener of a group that may wrap alternatives, as in
 * "(", "(?:", "(?<name>", "(?i:"; 0 for lookarounds, atomic groups and
 * anything else. */
static gsize
wrapper_opener(const char *p)
{
	if (p[0] != '(')
		return 0;
	if (p[1] != '?')
		return 1;
	const char *q = p + 2;
	if (*q == ':')
		return 3;
	if ((*q == '<' && q[1] != '=' && q[1] != '!') || *q == '\'' ||
	    (*q == 'P' && q[1] == '<')) {
		const char *e = strpbrk(q + 1, ">'");
		return e ? (gsize)(e + 1 - p) : 0;
	}
	while (option_letter(*q))
		q++;
	return *q == ':' && q > p + 2 ? (gsize)(q + 1 - p) : 0;
}

/* Where the top-level alternatives of [p, end) start and end (pairs into
 * @bounds); FALSE when an option setting such as (?i) stands at this level,
 * since it carries on into the alternatives after its own. */
static gboolean
alternatives(const char *p, const char *end, GArray *bounds)
{
	const char *start = p;
	int depth = 0;
	while (p < end) {
		if (*p == '\\') {
			p += 2;
		} else if (*p == '[') {
			p = class_end(p);
		} else if (*p == '(') {
			if (depth == 0 && p[1] == '?') {
				const char *q = p + 2;
				while (option_letter(*q))
					q++;
				if (*q == ')')
					return FALSE;
			}
			depth++;
			p++;
		} else if (*p == ')') {
			depth--;
			p++;
		} else if (*p == '|' && depth == 0) {
			g_array_append_val(bounds, start);
			g_array_append_val(bounds, p);
			start = ++p;
		} else {
			p++;
		}
	}
	g_array_append_val(bounds, start);
	g_array_append_val(bounds, end);
	return TRUE;
}

static void
branch_free(gpointer p)
{
	TwBranch *b = p;
	g_free(b->pattern);
	if (b->lits != NULL)
		g_ptr_array_unref(b->lits);
	g_free(b);
}

static TwBranch *
branch_new(const GString *prefix, const char *text, gsize len,
	   const GString *suffix, GPtrArray *lits)
{
	TwBranch *b = g_new0(TwBranch, 1);
	b->pattern = g_strdup_printf("%s%.*s%s", prefix->str, (int)len, text,
				     suffix->str);
	b->lits = lits;
	return b;
}

GPtrArray *
tw_rules_prefilter_branches(const char *pattern, const char *flags)
{
	if (strchr(flags, 'x') != NULL || !splittable(pattern))
		return NULL;
	gboolean caseless = strchr(flags, 'i') != NULL;
	for (const char *q = pattern; (q = strstr(q, "(?")) != NULL; q += 2)
		for (const char *o = q + 2; option_letter(*o); o++)
			caseless |= *o == 'i';

	g_autoptr(GString) prefix = g_string_new(NULL);
	g_autoptr(GString) suffix = g_string_new(NULL);
	const char *p = pattern, *end = pattern + strlen(pattern);
	/* leading option settings, as in (?J) or (?i), apply to all */
	while (p[0] == '(' && p[1] == '?') {
		const char *q = p + 2;
		while (option_letter(*q))
			q++;
		if (*q != ')' || q == p + 2)
			break;
		for (const char *o = p + 2; o < q; o++)
			if (*o == 'x')
				return NULL;
		g_string_append_len(prefix, p, q + 1 - p);
		p = q + 1;
	}

	g_autoptr(GArray) bounds = g_array_new(FALSE, FALSE, sizeof(char *));
	for (;;) {
		g_array_set_size(bounds, 0);
		if (!alternatives(p, end, bounds))
			return NULL;
		if (bounds->len > 2)
			break;
		/* one alternative: look inside a group that wraps it all */
		gsize open = wrapper_opener(p);
		if (open == 0 || group_close(p, end) != end - 1)
			return NULL;
		g_string_append_len(prefix, p, open);
		g_string_prepend_c(suffix, ')');
		p += open;
		end--;
	}

	GPtrArray *out = g_ptr_array_new_with_free_func(branch_free);
	g_autoptr(GString) rest = g_string_new(NULL);
	guint with_lits = 0;
	for (guint i = 0; i < bounds->len; i += 2) {
		const char *a = g_array_index(bounds, const char *, i);
		const char *z = g_array_index(bounds, const char *, i + 1);
		g_autofree char *text = g_strndup(a, z - a);
		Lex lx = {.p = text, .caseless = caseless};
		Req r = parse_alt(&lx);
		if (lx.give_up || *lx.p != '\0' || r.any) {
			req_clear(&r);
			if (rest->len > 0)
				g_string_append_c(rest, '|');
			g_string_append(rest, text);
			continue;
		}
		g_ptr_array_add(out, branch_new(prefix, text, strlen(text),
						suffix, r.lits));
		with_lits++;
	}
	if (with_lits == 0) {
		g_ptr_array_unref(out);
		return NULL;
	}
	if (rest->len > 0)
		g_ptr_array_add(out, branch_new(prefix, rest->str, rest->len,
						suffix, NULL));
	return out;
}

/* ---- Aho-Corasick ------------------------------------------------------ */

typedef struct {
	guint8 byte;
	guint32 next;
} Edge;

typedef struct {
	guint32 fail;
	guint32 edges; /* first edge in the edge pool */
	guint16 nedges;
	guint32 out; /* first output in the output pool, or G_MAXUINT32 */
	guint32 nout;
} Node;

struct TwPrefilter {
	GArray *nodes;		/* Node */
	GArray *edges;		/* Edge, per node sorted by byte */
	GArray *outs;		/* guint32 literal ids */
	guint32 root_next[256]; /* the root's transitions, all 256 */
	guint nlits;
};

/* Building: a trie with per-node hash tables first, then flattened. */
typedef struct {
	GHashTable *children; /* byte -> index */
	GArray *lits;	      /* guint32 */
} BuildNode;

TwPrefilter *
tw_rules_prefilter_new(GPtrArray *literals)
{
	TwPrefilter *pf = g_new0(TwPrefilter, 1);
	GArray *build = g_array_new(FALSE, TRUE, sizeof(BuildNode));
	g_array_set_size(build, 1);

	pf->nlits = literals->len;
	for (guint id = 0; id < literals->len; id++) {
		const guint8 *s = g_ptr_array_index(literals, id);
		guint32 node = 0;
		for (; *s; s++) {
			BuildNode *b = &g_array_index(build, BuildNode, node);
			if (b->children == NULL)
				b->children = g_hash_table_new(NULL, NULL);
			gpointer child = g_hash_table_lookup(
				b->children, GUINT_TO_POINTER(*s + 1u));
			if (child == NULL) {
				guint32 index = build->len;
				g_hash_table_insert(
					b->children, GUINT_TO_POINTER(*s + 1u),
					GUINT_TO_POINTER(index + 1));
				g_array_set_size(build, build->len + 1);
				node = index;
			} else {
				node = GPOINTER_TO_UINT(child) - 1;
			}
		}
		BuildNode *b = &g_array_index(build, BuildNode, node);
		if (b->lits == NULL)
			b->lits = g_array_new(FALSE, FALSE, sizeof(guint32));
		g_array_append_val(b->lits, id);
	}

	/* flatten: nodes keep their indices; edges sorted by byte */
	guint n = build->len;
	pf->nodes = g_array_sized_new(FALSE, TRUE, sizeof(Node), n);
	g_array_set_size(pf->nodes, n);
	pf->edges = g_array_new(FALSE, FALSE, sizeof(Edge));
	pf->outs = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (guint i = 0; i < n; i++) {
		BuildNode *b = &g_array_index(build, BuildNode, i);
		Node *node = &g_array_index(pf->nodes, Node, i);
		node->edges = pf->edges->len;
		node->out = G_MAXUINT32;
		if (b->children == NULL)
			continue;
		for (guint c = 0; c < 256; c++) {
			gpointer child = g_hash_table_lookup(
				b->children, GUINT_TO_POINTER(c + 1u));
			if (child == NULL)
				continue;
			Edge e = {(guint8)c, GPOINTER_TO_UINT(child) - 1};
			g_array_append_val(pf->edges, e);
			node = &g_array_index(pf->nodes, Node, i);
			node->nedges++;
		}
	}

	/* failure links and merged outputs, breadth first */
	GArray *queue = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray **outs = g_new0(GArray *, n);
	for (guint i = 0; i < n; i++) {
		BuildNode *b = &g_array_index(build, BuildNode, i);
		outs[i] = b->lits ? g_array_ref(b->lits)
				  : g_array_new(FALSE, FALSE, sizeof(guint32));
	}
	for (guint c = 0; c < 256; c++)
		pf->root_next[c] = 0;
	Node *root = &g_array_index(pf->nodes, Node, 0);
	for (guint k = 0; k < root->nedges; k++) {
		Edge *e = &g_array_index(pf->edges, Edge, root->edges + k);
		pf->root_next[e->byte] = e->next;
		g_array_index(pf->nodes, Node, e->next).fail = 0;
		g_array_append_val(queue, e->next);
	}
	for (guint q = 0; q < queue->len; q++) {
		guint32 u = g_array_index(queue, guint32, q);
		Node *nu = &g_array_index(pf->nodes, Node, u);
		for (guint k = 0; k < nu->nedges; k++) {
			Edge *e =
				&g_array_index(pf->edges, Edge, nu->edges + k);
			guint32 v = e->next;
			guint32 f = nu->fail;
			for (;;) {
				guint32 t =
					tw_rules_prefilter_step(pf, f, e->byte);
				if (t != 0 || f == 0) {
					f = t == v ? 0 : t;
					break;
				}
				f = g_array_index(pf->nodes, Node, f).fail;
			}
			g_array_index(pf->nodes, Node, v).fail = f;
			g_array_append_vals(outs[v], outs[f]->data,
					    outs[f]->len);
			g_array_append_val(queue, v);
		}
	}
	for (guint i = 0; i < n; i++) {
		Node *node = &g_array_index(pf->nodes, Node, i);
		if (outs[i]->len > 0) {
			node->out = pf->outs->len;
			node->nout = outs[i]->len;
			g_array_append_vals(pf->outs, outs[i]->data,
					    outs[i]->len);
		}
		g_array_unref(outs[i]);
		BuildNode *b = &g_array_index(build, BuildNode, i);
		if (b->children)
			g_hash_table_unref(b->children);
		if (b->lits)
			g_array_unref(b->lits);
	}
	g_free(outs);
	g_array_unref(queue);
	g_array_unref(build);
	return pf;
}

void
tw_rules_prefilter_free(TwPrefilter *pf)
{
	if (pf == NULL)
		return;
	g_array_unref(pf->nodes);
	g_array_unref(pf->edges);
	g_array_unref(pf->outs);
	g_free(pf);
}

guint
tw_rules_prefilter_count(const TwPrefilter *pf)
{
	return pf->nlits;
}

/* The goto function: the child of @node on @byte, or 0 (the root). */
guint32
tw_rules_prefilter_step(const TwPrefilter *pf, guint32 node, guint8 byte)
{
	if (node == 0)
		return pf->root_next[byte];
	const Node *n = &g_array_index(pf->nodes, Node, node);
	const Edge *e = &g_array_index(pf->edges, Edge, n->edges);
	guint lo = 0, hi = n->nedges;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (e[mid].byte < byte)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n->nedges && e[lo].byte == byte ? e[lo].next : 0;
}

/*
 * PCRE2 with UCP folds K (U+212A KELVIN SIGN) to k and ſ (U+017F LONG S)
 * to s; lower-casing only ASCII would hide them from a literal "k" or "s".
 */
static guint8
lower_at(const char *p, gsize *skip_r)
{
	guchar c = (guchar)*p;
	*skip_r = 1;
	if (c < 0x80)
		return (guint8)g_ascii_tolower(c);
	if (c == 0xE2 && (guchar)p[1] == 0x84 && (guchar)p[2] == 0xAA) {
		*skip_r = 3;
		return 'k';
	}
	if (c == 0xC5 && (guchar)p[1] == 0xBF) {
		*skip_r = 2;
		return 's';
	}
	return c;
}

void
tw_rules_prefilter_scan(const TwPrefilter *pf, const char *text, guint8 *found)
{
	guint32 state = 0;
	const Node *nodes = (const Node *)(void *)pf->nodes->data;
	const guint32 *outs = (const guint32 *)(void *)pf->outs->data;

	for (const char *p = text; *p;) {
		gsize skip;
		guint8 b = lower_at(p, &skip);
		p += skip;
		for (;;) {
			guint32 next = tw_rules_prefilter_step(pf, state, b);
			if (next != 0 || state == 0) {
				state = next;
				break;
			}
			state = nodes[state].fail;
		}
		const Node *n = &nodes[state];
		for (guint32 k = 0; k < n->nout; k++)
			found[outs[n->out + k]] = 1;
	}
}
