/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Patterns to PCRE2 code (UTF, UCP, invalid UTF matched safely, JIT). */
#include "config.h"

#include <string.h>

#include "rules-private.h"

static uint32_t
flag_options(const char *flags)
{
	uint32_t o = 0;
	for (const char *f = flags; *f; f++) {
		switch (*f) {
		case 'i':
			o |= PCRE2_CASELESS;
			break;
		case 'm':
			o |= PCRE2_MULTILINE;
			break;
		case 's':
			o |= PCRE2_DOTALL;
			break;
		case 'x':
			o |= PCRE2_EXTENDED;
			break;
		case 'n':
			o |= PCRE2_NO_AUTO_CAPTURE;
			break;
		default:
			g_assert_not_reached(); /* the parser allows no other */
		}
	}
	return o;
}

/* The column of byte @offset of the pattern, counting the opening '/'. */
static guint
pattern_col(const Rule *r, gsize offset)
{
	gsize len = strlen(r->pattern);
	offset = MIN(offset, len);
	/* PCRE2 may point inside a character: count whole characters */
	return r->pattern_col + 1 +
	       (guint)g_utf8_strlen(r->pattern, (gssize)offset);
}

static uint32_t
options_of(const Rule *r)
{
	return PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
	       flag_options(r->flags);
}

gboolean
tw_rules_compile_pattern(Rule *r, GPtrArray *diags)
{
	int code = 0;
	PCRE2_SIZE offset = 0;
	uint32_t options = options_of(r);

	r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
				options, &code, &offset, NULL);
	if (r->code == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		tw_rules_diag(diags, TW_DIAG_ERROR, r->file, r->test_line,
			      pattern_col(r, offset), "%s", (const char *)msg);
		return FALSE;
	}
	/* without JIT (not built, no executable memory) PCRE2 interprets:
	 * slower, equally bounded by the match limit */
	pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);

	uint32_t names = 0;
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &names);
	r->named = names > 0;

	gsize inner = 0;
	g_autofree char *lint = tw_rules_compile_lint(r->pattern, &inner);
	if (lint != NULL)
		tw_rules_diag(diags, TW_DIAG_WARNING, r->file, r->test_line,
			      pattern_col(r, inner), "%s", lint);
	return TRUE;
}

pcre2_code *
tw_rules_compile_probe(const Rule *r, const char *pattern)
{
	int code = 0;
	PCRE2_SIZE offset = 0;
	pcre2_code *c =
		pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			      options_of(r), &code, &offset, NULL);
	if (c != NULL)
		pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

/*
 * A heuristic for catastrophic backtracking: a group repeated without bound
 * whose first atom is itself repeated without bound, as in (a+)+,
 * (\w*\s?)* or ((ab)+c)*: the iterations can split the same text in
 * exponentially many ways.  A group that starts with a literal, as in
 * (\.[a-z]+)*, is delimited and left alone.  Escapes and character classes
 * are skipped; it cannot prove a pattern safe, only point at the shape.
 */

/* Is the quantifier at @p unbounded (*, +, {n,})?  *len_r is its length. */
static gboolean
unbounded_at(const char *p, gsize *len_r)
{
	*len_r = 0;
	if (*p == '*' || *p == '+') {
		*len_r = 1;
		return TRUE;
	}
	if (*p == '{') {
		const char *c = p + 1;
		while (g_ascii_isdigit(*c))
			c++;
		if (c == p + 1)
			return FALSE; /* "{" as a literal */
		if (*c == '}') {
			*len_r = c + 1 - p;
			return FALSE;
		}
		if (*c != ',')
			return FALSE;
		c++;
		gboolean open = *c == '}';
		while (g_ascii_isdigit(*c))
			c++;
		if (*c != '}')
			return FALSE;
		*len_r = c + 1 - p;
		return open;
	}
	if (*p == '?')
		*len_r = 1;
	return FALSE;
}

char *
tw_rules_compile_lint(const char *pattern, gsize *offset_r)
{
	enum { MAX_NEST = 64 };
	guint atoms[MAX_NEST];	   /* atoms seen in the group so far */
	gssize first_at[MAX_NEST]; /* its first atom's unbounded quantifier */
	gboolean atomic[MAX_NEST]; /* (?>...): nothing inside backtracks */
	int depth = 0;
	const char *p = pattern;

	atoms[0] = 0;
	first_at[0] = -1;
	atomic[0] = FALSE;
	while (*p) {
		gboolean atom = TRUE;
		gssize carried = -1; /* a closed group's own first_at */
		if (*p == '\\') {
			p += p[1] ? 2 : 1;
		} else if (*p == '[') {
			/* a class: ']' first is literal, escapes skip */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
		} else if (*p == '(') {
			if (depth + 1 < MAX_NEST) {
				depth++;
				atoms[depth] = 0;
				first_at[depth] = -1;
				atomic[depth] = p[1] == '?' && p[2] == '>';
			}
			/* (?:  (?<name>  (?i) ... : the group's own syntax */
			p++;
			if (*p == '?') {
				while (*p && *p != ':' && *p != '>' &&
				       *p != ')' &&
				       !(p[-1] == '<' &&
					 (*p == '=' || *p == '!')))
					p++;
				if (*p == ':' || *p == '>' || *p == '=' ||
				    *p == '!')
					p++;
			}
			continue;
		} else if (*p == ')') {
			gssize inner = depth > 0 && !atomic[depth]
					       ? first_at[depth]
					       : -1;
			if (depth > 0)
				depth--;
			p++;
			gsize qlen;
			if (inner >= 0 && unbounded_at(p, &qlen)) {
				*offset_r = (gsize)inner;
				return g_strdup(
					"nested unbounded quantifiers can "
					"backtrack catastrophically; bound one "
					"of them");
			}
			/* the closed group is an atom of its parent: ((a+))+
			 * is (a+)+ */
			carried = inner;
		} else if (*p == '|') {
			/* each alternative starts afresh */
			atoms[depth] = 0;
			p++;
			continue;
		} else {
			p = g_utf8_next_char(p);
		}
		if (atom)
			atoms[depth]++;
		gsize qlen;
		gboolean unbounded = unbounded_at(p, &qlen);
		/* a possessive quantifier (a++) gives nothing back */
		gboolean possessive = qlen > 0 && p[qlen] == '+';
		if (unbounded && !possessive && atoms[depth] == 1 &&
		    first_at[depth] < 0)
			first_at[depth] = p - pattern;
		else if (qlen == 0 && carried >= 0 && atoms[depth] == 1 &&
			 first_at[depth] < 0)
			first_at[depth] = carried;
		p += qlen;
		/* lazy or possessive suffix */
		if (qlen > 0 && (*p == '?' || *p == '+'))
			p++;
	}
	return NULL;
}
