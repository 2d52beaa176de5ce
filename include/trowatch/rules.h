/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rules: the rule language of trowatch-rules(5) (PCRE2 only here).  Rule
 * files compile into an immutable rule set; a rule set evaluates a message
 * view into a verdict, with no I/O.
 */
#ifndef TROWATCH_RULES_H
#define TROWATCH_RULES_H

#include <glib.h>

#include "trowatch/model.h"

G_BEGIN_DECLS

/* A problem found in rule files: "FILE:LINE:COL: message". */
typedef enum {
	TW_DIAG_ERROR,
	TW_DIAG_WARNING,
} TwDiagLevel;

typedef struct {
	TwDiagLevel level;
	char *file;
	guint line; /* 1-based; 0 when the problem is the file itself */
	guint col;  /* 1-based, in characters; 0 when none applies */
	char *message;
} TwDiag;

void tw_diag_free(TwDiag *diag);
/* "file:line:col: message" (warnings say "warning: " after the position). */
char *tw_diag_format(const TwDiag *diag);

typedef struct TwRuleSet TwRuleSet;

/*
 * Read and compile the rule files and directories in @paths (NULL-
 * terminated; a directory contributes its *.rules files in byte order).
 * Every problem found is appended to @diags (TwDiag*, may be NULL), errors
 * and warnings alike, in file order.  Returns NULL, with a TW_ERROR_DATA
 * error saying how many errors there were, when any error was found:
 * loading either fully succeeds or gives nothing.  @limits bounds every
 * match (match-limit, jit-stack).  The caller owns the result.
 */
TwRuleSet *tw_rules_load(char *const *paths, const TwLimits *limits,
			 GPtrArray *diags, GError **error);
void tw_rules_free(TwRuleSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TwRuleSet, tw_rules_free)

/* The rules in the set, in definition order; names are owned by the set. */
guint tw_rules_count(const TwRuleSet *set);
const char *tw_rules_name(const TwRuleSet *set, guint i);

typedef struct {
	char *const *identity;	 /* names of the seller, or NULL */
	const char *authserv_id; /* trusted Authentication-Results, or NULL */
	gboolean explain; /* record the matches of every rule that fired */
} TwEvalOptions;

/*
 * Evaluate @set over @view.  Pure: the same inputs give the same verdict.
 * The verdict carries the view's anomalies, and `rule-limit` when a match
 * hit the match limit or JIT stack (that rule then did not match) or the
 * rule budget ran out (the remaining rules were skipped).  Caller owns it.
 */
TwVerdict *tw_rules_eval(const TwRuleSet *set, const TwView *view,
			 const TwEvalOptions *options);

G_END_DECLS

#endif
