/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule set's insides, shared by the parser, compiler and evaluator. */
#ifndef TROWATCH_RULES_PRIVATE_H
#define TROWATCH_RULES_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <glib.h>
#include <pcre2.h>

#include "trowatch/rules.h"

typedef enum {
	TARGET_SUBJECT,
	TARGET_FROM,
	TARGET_FROM_NAME,
	TARGET_FROM_DOMAIN,
	TARGET_REPLY_TO_DOMAIN,
	TARGET_TO,
	TARGET_HEADER,
	TARGET_AUTHRES,
	TARGET_BODY,
	TARGET_RAWBODY,
	TARGET_URI,
	TARGET_URI_DOMAIN,
	TARGET_ATTACHMENT,
	TARGET_ANY,
	TARGET_COUNT
} Target;

/* "subject", ...; tw_rules_target_parse() returns -1 for an unknown one. */
const char *tw_rules_target_name(Target target);
int tw_rules_target_parse(const char *name);

typedef enum {
	TEST_NONE,
	TEST_PATTERN,
	TEST_LIST,
	TEST_IDENTITY,
	TEST_WHEN,
} TestKind;

typedef enum {
	EXPR_NAME,
	EXPR_NOT,
	EXPR_AND,
	EXPR_OR,
} ExprKind;

typedef struct Expr {
	ExprKind kind;
	char *name; /* EXPR_NAME */
	guint rule; /* EXPR_NAME: index into the set's rules, once resolved */
	guint col;  /* where the name stands, for errors */
	struct Expr *a, *b;
} Expr;

typedef struct {
	char *name;
	char *file; /* where it is defined */
	guint line;
	GHashTable *values; /* lower-case value -> itself */
} RuleList;

/* One alternative of a pattern, compiled alone (see eval.c, run_probes). */
typedef struct {
	pcre2_code *code;
	guint32 *lits; /* prefilter literal ids, as for Rule */
	guint nlits;   /* 0: always run */
} Probe;

typedef struct {
	char *name;
	char *file;
	guint line;

	TestKind test;
	guint test_line, test_col; /* where the test starts */
	Target target;
	char *field;	   /* TARGET_HEADER: the field name */
	char *pattern;	   /* TEST_PATTERN: the regex as written */
	char *flags;	   /* its flags as written */
	guint pattern_col; /* column of the opening '/' */
	char *list;	   /* TEST_LIST: list name */
	guint list_col;
	Expr *when; /* TEST_WHEN */

	gint64 score;	 /* hundredths */
	GPtrArray *tags; /* char* */
	int floor;	 /* a TwSeverity, or -1 */
	int cap; /* a TwSeverity (TW_SEVERITY_NONE for "cap none"), or -1 */
	gboolean suspect;
	gboolean off;
	char *describe;
	gboolean broken; /* an attribute had an error: say nothing more */

	/* compiled */
	pcre2_code *code;
	guint32 *lits;	/* prefilter literal ids: one must be in the text */
	guint nlits;	/* 0: no literal is required, always run */
	gboolean named; /* the pattern has named groups */
	Probe *probes;	/* its alternatives, when splitting it pays */
	guint nprobes;
	const RuleList *set_list; /* TEST_LIST, resolved */
} Rule;

typedef struct TwPrefilter TwPrefilter;

struct TwRuleSet {
	GPtrArray *rules;    /* Rule*, in definition order */
	GHashTable *by_name; /* name -> index + 1 (GUINT_TO_POINTER) */
	GHashTable *lists;   /* name -> RuleList* */
	gint64 thresholds[TW_SEVERITY_COUNT]; /* hundredths; [NONE] unused */
	guint *order;	 /* evaluation order: tests first, then when-rules */
	guint max_pairs; /* ovector pairs the largest pattern needs */
	TwPrefilter
		*prefilter; /* over the literals of every pattern, or NULL */
	gboolean prefilter_off; /* tests compare verdicts without it */
	TwLimits limits;
};

void tw_rules_rule_free(Rule *rule);
void tw_rules_list_free(RuleList *list);
void tw_rules_expr_free(Expr *expr);

/* compile.c: PCRE2 compile of one rule's pattern, with its diagnostics. */
gboolean tw_rules_compile_pattern(Rule *rule, GPtrArray *diags);
/* compile.c: an alternative of a rule's pattern, compiled with the same
 * options; NULL if PCRE2 refuses it. */
pcre2_code *tw_rules_compile_probe(const Rule *rule, const char *pattern);
/* compile.c: a warning for nested unbounded quantifiers such as (a+)+,
 * NULL when there is none; *offset_r is the byte offset of the inner one. */
char *tw_rules_compile_lint(const char *pattern, gsize *offset_r);

/*
 * prefilter.c: the literals every match of a pattern must contain (one of
 * them), lower-case ASCII, each at least 3 bytes; NULL when there is no
 * such set (then the pattern always runs).
 */
GPtrArray *tw_rules_prefilter_literals(const char *pattern, const char *flags);
/*
 * prefilter.c: @pattern split into its top-level alternatives (looking
 * inside a group that wraps the whole pattern), each a pattern of its own
 * that keeps the leading option settings and the wrapping groups, with the
 * literals it requires, as TwBranch*.  The alternatives that require none
 * come last, joined into one, with lits NULL.  NULL when a split is unsafe
 * (back references, subroutine calls, branch resets, conditionals, option
 * settings between alternatives, extended mode, ...) or would not pay
 * (one alternative, or none with literals).  Free with g_ptr_array_unref.
 */
typedef struct {
	char *pattern;
	GPtrArray *lits; /* char*, or NULL */
} TwBranch;
GPtrArray *tw_rules_prefilter_branches(const char *pattern, const char *flags);
/* An Aho-Corasick automaton over @literals (lower-case, ids = indices). */
TwPrefilter *tw_rules_prefilter_new(GPtrArray *literals);
void tw_rules_prefilter_free(TwPrefilter *pf);
guint tw_rules_prefilter_count(const TwPrefilter *pf);
guint32 tw_rules_prefilter_step(const TwPrefilter *pf, guint32 node,
				guint8 byte);
/* Set found[id] = 1 for every literal in @text (ASCII lower-cased). */
void tw_rules_prefilter_scan(const TwPrefilter *pf, const char *text,
			     guint8 *found);
/* parse.c: build the set's prefilter from its compiled patterns. */
void tw_rules_prefilter_build(TwRuleSet *set);

/* diag helpers shared by the files of src/rules */
void tw_rules_diag(GPtrArray *diags, TwDiagLevel level, const char *file,
		   guint line, guint col, const char *fmt, ...)
	G_GNUC_PRINTF(6, 7);

#endif
