/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the rule language: parser errors, includes, lists, expressions,
 * scoring, facts and limits.  Views are built by hand: no GMime here. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rules-private.h"
#include "trowatch/rules.h"
#include "trowatch/util.h"

static char *tmp;

static char *
write_file(const char *name, const char *text)
{
	char *path = g_build_filename(tmp, name, NULL);
	g_autofree char *dir = g_path_get_dirname(path);
	g_mkdir_with_parents(dir, 0755);
	if (!g_file_set_contents(path, text, -1, NULL))
		fail_msg("cannot write %s", path);
	return path;
}

/* Load @text as one file; the diagnostics joined by "\n", paths made
 * relative to the temporary directory. */
static TwRuleSet *
load_text(const char *text, char **diags_r)
{
	g_autofree char *path = write_file("t.rules", text);
	char *paths[] = {path, NULL};
	TwLimits limits;
	tw_limits_init(&limits);
	g_autoptr(GPtrArray) diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)tw_diag_free);
	g_autoptr(GError) error = NULL;
	TwRuleSet *set = tw_rules_load(paths, &limits, diags, &error);
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < diags->len; i++) {
		g_autofree char *line = tw_diag_format(diags->pdata[i]);
		const char *rel = g_str_has_prefix(line, tmp)
					  ? line + strlen(tmp) + 1
					  : line;
		g_string_append_printf(out, "%s%s", out->len ? "\n" : "", rel);
	}
	assert_true((set == NULL) == (error != NULL));
	*diags_r = g_string_free(out, FALSE);
	return set;
}

/* The rules must fail to load with exactly this diagnostic among others. */
static void
expect_error(const char *text, const char *diag)
{
	g_autofree char *diags = NULL;
	TwRuleSet *set = load_text(text, &diags);
	if (set != NULL || strstr(diags, diag) == NULL) {
		tw_rules_free(set);
		fail_msg("expected '%s', got:\n%s", diag, diags);
	}
}

static void
test_parse_errors(void **state)
{
	static const char *const cases[][2] = {
		{"frobnicate x\n",
		 "t.rules:1:1: unknown statement 'frobnicate'"},
		{"threshold huge 10\n", "t.rules:1:11: unknown level 'huge'"},
		{"threshold high ten\n", "t.rules:1:16: bad number 'ten'"},
		{"threshold high 1.234\n", "t.rules:1:16: bad number"},
		{"threshold  high    1.234\n",
		 "t.rules:1:20: bad number '1.234'"},
		{"threshold high\n",
		 "t.rules:1:15: threshold needs a level and a number"},
		{"threshold high 5 extra\n",
		 "t.rules:1:18: threshold takes a level and a number, no more"},
		{"rule lower\n    body /x/\n",
		 "t.rules:1:6: bad rule name 'lower'"},
		{"rule A\n    body /x/\nrule A\n    body /y/\n",
		 "t.rules:3:6: rule A defined twice in this file (first on line 1)"},
		{"rule A\n    score 1\n", "t.rules:1:1: rule A has no test"},
		{"rule A\n    body /x/\n    subject /y/\n",
		 "t.rules:3:5: rule A has a test already (line 2)"},
		{"rule A\n    bdy /x/\n", "t.rules:2:5: unknown target 'bdy'"},
		{"rule A\n    body /x/\n    colour red\n",
		 "t.rules:3:5: unknown attribute 'colour'"},
		{"rule A\n    body /x/q\n",
		 "t.rules:2:13: unknown pattern flag 'q'"},
		{"rule A\n    body /x\n",
		 "t.rules:2:10: pattern has no closing '/'"},
		{"rule A\n    body /a(b/\n",
		 "t.rules:2:14: missing closing parenthesis"},
		{"rule A\n    body /a{2,1}/\n",
		 "t.rules:2:16: numbers out of order in {} quantifier"},
		{"rule A\n    from-domain in NOPE\n",
		 "t.rules:2:20: unknown list 'NOPE'"},
		{"rule A\n    from-domain in\n",
		 "t.rules:2:19: 'in' needs a list name"},
		{"rule A\n    when B and C\nrule B\n    body /b/\n",
		 "t.rules:2:16: unknown rule 'C'"},
		{"rule A\n    when B and (C\nrule B\n    body /b/\nrule C\n    body /c/\n",
		 "t.rules:2:18: expected ')'"},
		{"rule A\n    when B C\nrule B\n    body /b/\nrule C\n    body /c/\n",
		 "t.rules:2:12: expected 'and', 'or' or the end, not 'C'"},
		{"rule A\n    when and\n",
		 "t.rules:2:10: expected a rule name, 'not' or '(', not 'and'"},
		{"rule A\n    when B\nrule B\n    when A\n",
		 "t.rules:2:5: cycle in when: A -> B -> A"},
		{"rule A\n    body /x/\n    tag Bad_Tag\n",
		 "t.rules:3:9: bad tag 'Bad_Tag'"},
		{"rule A\n    body /x/\n    score lots\n",
		 "t.rules:3:11: score needs a number"},
		{"rule A\n    body /x/\n    severity urgent\n",
		 "t.rules:3:14: severity needs critical, high, medium or low"},
		{"rule A\n    body /x/\n    severity none\n",
		 "t.rules:3:14: severity needs critical, high, medium or low"},
		{"rule A\n    body /x/\n    cap huge\n",
		 "t.rules:3:9: cap needs critical, high, medium, low or none"},
		{"rule A\n    body /x/\n    suspect yes\n",
		 "t.rules:3:13: suspect takes nothing after it"},
		{"rule A\n    header /x/\n",
		 "t.rules:2:12: header needs a field name before the pattern"},
		{"rule A\n    header Sub:ject /x/\n",
		 "t.rules:2:12: bad header field name 'Sub:ject'"},
		{"    body /x/\n",
		 "t.rules:1:5: indented line outside a rule or list"},
		{"list lower a b\n", "t.rules:1:6: bad list name 'lower'"},
		{"list L a\nlist L b\n",
		 "t.rules:2:6: list L defined twice in this file (first on line 1)"},
		{"include missing.rules\n",
		 "t.rules:1:9: include: missing.rules: No such file or directory"},
		{"rule A B\n    body /x/\n",
		 "t.rules:1:8: a rule line has only its name"},
		{"rule A\n    body @identity extra\n",
		 "t.rules:2:20: unexpected 'extra'"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		expect_error(cases[i][0], cases[i][1]);
}

static void
test_all_errors_in_one_run(void **state)
{
	g_autofree char *diags = NULL;
	TwRuleSet *set = load_text("rule A\n    bdy /x/\n"
				   "rule B\n    body /(/\n"
				   "threshold low x\n",
				   &diags);
	assert_null(set);
	/* in line order, each with its position */
	assert_string_equal(diags, "t.rules:2:5: unknown target 'bdy'\n"
				   "t.rules:4:12: missing closing parenthesis\n"
				   "t.rules:5:15: bad number 'x'");
}

static void
test_not_utf8(void **state)
{
	expect_error("rule A\n    body /caf\xe9/\n",
		     "t.rules:2: not valid UTF-8 text");
}

static void
test_control_character(void **state)
{
	expect_error("rule A\n    body /\bx/\n",
		     "t.rules:2:11: control character U+0008 in a rule file");
}

static void
test_warnings(void **state)
{
	g_autofree char *diags = NULL;
	g_autoptr(TwRuleSet) set =
		load_text("rule A\n    body /(a+)+$/\n"
			  "rule B\n    body /dup/i\nrule C\n    body /dup/i\n",
			  &diags);
	assert_non_null(set); /* warnings do not stop a load */
	assert_non_null(strstr(diags, "t.rules:2:13: warning: nested unbounded "
				      "quantifiers"));
	assert_non_null(strstr(diags, "t.rules:6:10: warning: rule C has the "
				      "same pattern as B"));
}

static void
test_lint(void **state)
{
	static const char *const risky[] = {"(a+)+",	 "(\\w*\\s?)*x",
					    "((ab)+c)*", "(?:x+y){2,}",
					    "((a+))+",	 "(?:(?:a+)b)*"};
	static const char *const fine[] = {
		"(a+)?",
		"(ab)+",
		"[(a+)]+",
		"\\(a+\\)+",
		"(a{1,3})+",
		"a+b+",
		"[a-z]+(\\.[a-z]+)*",
		"(?:x|y+)",
		"(?<n>a+)b+",
		"(a++)+",   /* possessive: no giving back */
		"(?>a+)+"}; /* atomic, likewise */
	for (guint i = 0; i < G_N_ELEMENTS(risky); i++) {
		g_autofree char *diags = NULL;
		g_autofree char *text =
			g_strdup_printf("rule A\n    body /%s/\n", risky[i]);
		g_autoptr(TwRuleSet) set = load_text(text, &diags);
		assert_non_null(strstr(diags, "nested unbounded"));
	}
	for (guint i = 0; i < G_N_ELEMENTS(fine); i++) {
		g_autofree char *diags = NULL;
		g_autofree char *text =
			g_strdup_printf("rule A\n    body /%s/\n", fine[i]);
		g_autoptr(TwRuleSet) set = load_text(text, &diags);
		assert_non_null(set);
		if (*diags)
			fail_msg("/%s/: %s", fine[i], diags);
	}
}

/* ---- evaluation ---------------------------------------------------------- */

static TwAddress *
address(const char *name, const char *addr, const char *registrable)
{
	TwAddress *a = g_new0(TwAddress, 1);
	a->name = g_strdup(name);
	a->addr = g_strdup(addr);
	a->domain = g_strdup(strchr(addr, '@') + 1);
	a->registrable = g_strdup(registrable);
	a->display = name ? g_strdup_printf("%s <%s>", name, addr)
			  : g_strdup_printf("<%s>", addr);
	return a;
}

static void
add_header(TwView *v, const char *name, const char *value)
{
	TwHeader *h = g_new0(TwHeader, 1);
	h->name = g_strdup(name);
	h->value = g_strdup(value);
	h->raw = g_strdup(value);
	g_ptr_array_add(v->headers, h);
}

static TwView *
make_view(const char *subject, const char *body)
{
	TwView *v = tw_view_new();
	g_free(v->subject);
	v->subject = g_strdup(subject);
	g_free(v->body);
	v->body = g_strdup(body);
	g_free(v->rawbody);
	v->rawbody = g_strdup(body);
	g_ptr_array_add(v->from, address("Seller Performance",
					 "sp@mail.amazon.com", "amazon.com"));
	g_ptr_array_add(v->reply_to,
			address(NULL, "x@firm.example.test", "example.test"));
	g_ptr_array_add(v->to,
			address("Shop", "shop@acme.example", "acme.example"));
	add_header(v, "Subject", subject);
	add_header(v, "X-Mailer", "Foo 1.0");
	add_header(v, "X-Mailer", "Bar 2.0");
	TwUri *u = g_new0(TwUri, 1);
	u->uri = g_strdup("https://docs.serve.example.test/25-7412");
	u->host = g_strdup("docs.serve.example.test");
	u->registrable = g_strdup("example.test");
	g_ptr_array_add(v->uris, u);
	TwAttachment *a = g_new0(TwAttachment, 1);
	a->name = g_strdup("Complaint.pdf");
	a->type = g_strdup("application/pdf");
	g_ptr_array_add(v->attachments, a);
	return v;
}

static TwVerdict *
eval_text(const char *rules, const TwView *view, const TwEvalOptions *opts)
{
	g_autofree char *diags = NULL;
	g_autoptr(TwRuleSet) set = load_text(rules, &diags);
	if (set == NULL)
		fail_msg("rules did not load:\n%s", diags);
	return tw_rules_eval(set, view, opts);
}

static gboolean
fired(const TwVerdict *v, const char *name)
{
	for (guint i = 0; i < v->hits->len; i++)
		if (strcmp(((TwHit *)v->hits->pdata[i])->name, name) == 0)
			return TRUE;
	return FALSE;
}

static void
test_targets(void **state)
{
	g_autoptr(TwView) view =
		make_view("Notice of Lawsuit", "the body text");
	g_autoptr(TwVerdict) v = eval_text(
		"rule SUBJ\n    subject /^Notice of Lawsuit$/\n"
		"rule BODY\n    body /body text/\n"
		"rule RAW\n    rawbody /the body/\n"
		"rule ANY_SUBJ\n    any /Lawsuit/\n"
		"rule ANY_BODY\n    any /body/\n"
		"rule FROM\n    from /^Seller Performance <sp@mail\\.amazon\\.com>$/\n"
		"rule FROM_NAME\n    from-name /^Seller Performance$/\n"
		"rule FROM_DOMAIN\n    from-domain /^amazon\\.com$/\n"
		"rule REPLY\n    reply-to-domain /^example\\.test$/\n"
		"rule TO\n    to /^Shop <shop@acme\\.example>$/\n"
		"rule HEADER\n    header x-mailer /^Bar/\n"
		"rule HEADER_NONE\n    header X-Missing /./\n"
		"rule URI\n    uri /serve\\.example\\.test\\/25-/\n"
		"rule URI_DOMAIN\n    uri-domain /^example\\.test$/\n"
		"rule ATTACHMENT\n    attachment /^Complaint\\.pdf; application\\/pdf$/\n"
		"rule MISS\n    body /not there/\n",
		view, NULL);
	static const char *const yes[] = {
		"SUBJ",	  "BODY",      "RAW",	      "ANY_SUBJ",  "ANY_BODY",
		"FROM",	  "FROM_NAME", "FROM_DOMAIN", "REPLY",	   "TO",
		"HEADER", "URI",       "URI_DOMAIN",  "ATTACHMENT"};
	for (guint i = 0; i < G_N_ELEMENTS(yes); i++)
		if (!fired(v, yes[i]))
			fail_msg("%s did not fire", yes[i]);
	assert_false(fired(v, "HEADER_NONE"));
	assert_false(fired(v, "MISS"));
}

static void
test_authres_trusts_only_its_id(void **state)
{
	g_autoptr(TwView) view = make_view("s", "b");
	add_header(view, "Authentication-Results",
		   "evil.example; dmarc=pass header.from=amazon.com");
	add_header(view, "Authentication-Results",
		   "mx.acme.example; dmarc=fail header.from=amazon.com");
	const char *rules = "rule PASS\n    authres /dmarc=pass/\n"
			    "rule FAIL\n    authres /dmarc=fail/\n";
	TwEvalOptions opts = {.authserv_id = "mx.acme.example"};
	g_autoptr(TwVerdict) v = eval_text(rules, view, &opts);
	assert_false(fired(v, "PASS"));
	assert_true(fired(v, "FAIL"));
	/* no authserv-id configured: nothing is trusted */
	g_autoptr(TwVerdict) none = eval_text(rules, view, NULL);
	assert_int_equal(none->hits->len, 0);
}

static void
test_lists_and_identity(void **state)
{
	g_autoptr(TwView) view =
		make_view("s", "Orders for ａｃｍｅ　HOME Store are late");
	const char *rules =
		"list PLATFORMS walmart.com   # a comment\n"
		"    # a comment line inside the list\n"
		"    ebay.com AMAZON.COM\n"
		"\n"
		"    temu.com\n"
		"rule PLATFORM\n    from-domain in PLATFORMS\n"
		"rule NOT_LISTED\n    reply-to-domain in PLATFORMS\n"
		"rule NAMED\n    body @identity\n";
	g_auto(GStrv) identity = g_strsplit("Acme Home Store", ";", -1);
	TwEvalOptions opts = {.identity = identity};
	g_autoptr(TwVerdict) v = eval_text(rules, view, &opts);
	assert_true(fired(v, "PLATFORM")); /* case-insensitive */
	assert_false(fired(v, "NOT_LISTED"));
	assert_true(fired(v, "NAMED")); /* NFKC and case folded */
	g_autoptr(TwVerdict) anon = eval_text(rules, view, NULL);
	assert_false(fired(anon, "NAMED"));
}

static void
test_expressions(void **state)
{
	g_autoptr(TwView) view = make_view("s", "alpha beta");
	g_autoptr(TwVerdict) v = eval_text(
		"rule A\n    body /alpha/\n"
		"rule B\n    body /beta/\n"
		"rule C\n    body /gamma/\n"
		"rule OFF\n    body /alpha/\n    off\n"
		"rule AND\n    when A and B\n"
		"rule OR\n    when C or A\n"
		"rule NOT\n    when not C\n"
		"rule PREC\n    when C and A or B\n" /* (C and A) or B */
		"rule PARENS\n    when C and (A or B)\n"
		"rule NOTNOT\n    when not not A\n"
		"rule SEES_OFF\n    when OFF\n"
		"rule LATER\n    when EARLIER_WHEN\n" /* order-free */
		"rule EARLIER_WHEN\n    when AND and not OFF\n",
		view, NULL);
	assert_true(fired(v, "AND"));
	assert_true(fired(v, "OR"));
	assert_true(fired(v, "NOT"));
	assert_true(fired(v, "PREC"));
	assert_false(fired(v, "PARENS"));
	assert_true(fired(v, "NOTNOT"));
	assert_false(fired(v, "OFF"));
	assert_false(fired(v, "SEES_OFF"));
	assert_true(fired(v, "LATER"));
}

static TwSeverity
severity_of(const char *rules, const char *body)
{
	g_autoptr(TwView) view = make_view("s", body);
	g_autoptr(TwVerdict) v = eval_text(rules, view, NULL);
	return v->severity;
}

static void
test_scores_thresholds_floors_caps(void **state)
{
	/* exact hundredths: 0.1 + 0.2 is 0.3, not 0.30000000000000004 */
	g_autoptr(TwView) view = make_view("s", "a b c");
	g_autoptr(TwVerdict) v =
		eval_text("rule A\n    body /a/\n    score 0.1\n"
			  "rule B\n    body /b/\n    score 0.2\n"
			  "rule C\n    body /c/\n    score -0.05\n",
			  view, NULL);
	assert_int_equal(v->score, 25);
	g_autofree char *s = tw_score_format(v->score);
	assert_string_equal(s, "0.25");

	/* defaults: critical 10, high 6, medium 3, low 1 */
	assert_int_equal(
		severity_of("rule A\n    body /x/\n    score 10\n", "x"),
		TW_SEVERITY_CRITICAL);
	assert_int_equal(
		severity_of("rule A\n    body /x/\n    score 9.99\n", "x"),
		TW_SEVERITY_HIGH);
	assert_int_equal(
		severity_of("rule A\n    body /x/\n    score 3\n", "x"),
		TW_SEVERITY_MEDIUM);
	assert_int_equal(
		severity_of("rule A\n    body /x/\n    score 1\n", "x"),
		TW_SEVERITY_LOW);
	assert_int_equal(
		severity_of("rule A\n    body /x/\n    score 0.99\n", "x"),
		TW_SEVERITY_NONE);
	/* a later threshold line replaces an earlier one */
	assert_int_equal(
		severity_of("threshold critical 20\nthreshold critical 5\n"
			    "rule A\n    body /x/\n    score 5\n",
			    "x"),
		TW_SEVERITY_CRITICAL);
	/* a floor raises; the highest floor wins */
	assert_int_equal(
		severity_of("rule A\n    body /x/\n    severity medium\n"
			    "rule B\n    body /x/\n    severity high\n",
			    "x"),
		TW_SEVERITY_HIGH);
	/* a cap lowers; the lowest cap wins; a cap wins over a floor */
	assert_int_equal(
		severity_of("rule A\n    body /x/\n    score 12\n"
			    "rule B\n    body /x/\n    cap medium\n"
			    "rule C\n    body /x/\n    cap low\n"
			    "rule D\n    body /x/\n    severity critical\n",
			    "x"),
		TW_SEVERITY_LOW);
	assert_int_equal(severity_of("rule A\n    body /x/\n    score 12\n"
				     "rule B\n    body /x/\n    cap none\n",
				     "x"),
			 TW_SEVERITY_NONE);
	/* a floor or cap of a rule that did not fire does nothing */
	assert_int_equal(severity_of("rule A\n    body /x/\n    score 3\n"
				     "rule B\n    body /y/\n    cap none\n",
				     "x"),
			 TW_SEVERITY_MEDIUM);
}

static void
test_tags_suspect_hits(void **state)
{
	g_autoptr(TwView) view = make_view("s", "x");
	g_autoptr(TwVerdict) v = eval_text(
		"rule A\n    body /x/\n    tag tro lawsuit\n    score 2\n"
		"rule B\n    body /x/\n    tag lawsuit freeze\n    suspect\n"
		"    describe a text with # kept whole\n"
		"rule C\n    body /y/\n    tag phishing\n    suspect\n",
		view, NULL);
	assert_int_equal(v->tags->len, 3);
	assert_string_equal(v->tags->pdata[0], "tro");
	assert_string_equal(v->tags->pdata[1], "lawsuit");
	assert_string_equal(v->tags->pdata[2], "freeze");
	assert_true(v->suspect);
	assert_int_equal(v->hits->len, 2);
	assert_int_equal(((TwHit *)v->hits->pdata[0])->score, 200);
}

static void
test_facts_every_match(void **state)
{
	g_autoptr(TwView) view = make_view(
		"s", "Case No. 1:25-cv-07412-JPC and 24-cv-5678 (LGS); again "
		     "1:25-cv-07412. Plaintiff: Lumina Brands, Inc.");
	g_autoptr(TwVerdict) v = eval_text(
		"rule CASE\n"
		"    body /(?<case>\\b(?:[0-9]:)?[0-9]{2}-cv-[0-9]{1,6}(?:-[A-Z]{2,4})*(?: \\([A-Z]{2,4}\\))?)/i\n"
		"rule PLAINTIFF\n"
		"    body /Plaintiff:\\s+(?<plaintiff>[^.;]+?),? Inc/\n"
		"rule NOTHING\n"
		"    body /(?<court>no such court here)?Case/\n",
		view, NULL);
	const TwFact *c = tw_verdict_fact(v, "case");
	assert_non_null(c);
	assert_int_equal(c->values->len, 2); /* deduplicated */
	assert_string_equal(c->values->pdata[0], "25-cv-07412");
	assert_string_equal(c->values->pdata[1], "24-cv-05678");
	assert_int_equal(v->cases->len, 2);
	const TwCaseDetail *d = v->cases->pdata[0];
	assert_string_equal(d->division, "1");
	assert_string_equal(d->judge, "JPC");
	assert_string_equal(d->text, "1:25-cv-07412-JPC");
	const TwFact *p = tw_verdict_fact(v, "plaintiff");
	assert_non_null(p);
	assert_string_equal(p->values->pdata[0], "Lumina Brands");
	/* a group that took part in no match adds no fact */
	assert_true(fired(v, "NOTHING"));
	assert_null(tw_verdict_fact(v, "court"));
}

static void
test_explain_records_matches(void **state)
{
	g_autoptr(TwView) view =
		make_view("s", "a Temporary   Restraining Order here");
	TwEvalOptions opts = {.explain = TRUE};
	g_autoptr(TwVerdict) v = eval_text(
		"rule TRO\n    body /temporary\\s+restraining\\s+order/i\n"
		"rule BOTH\n    when TRO\n",
		view, &opts);
	assert_int_equal(v->matches->len, 2);
	const TwMatch *m = v->matches->pdata[0];
	assert_string_equal(m->rule, "TRO");
	assert_string_equal(m->target, "body");
	assert_string_equal(m->text, "Temporary   Restraining Order");
	g_autoptr(TwVerdict) quiet =
		eval_text("rule TRO\n    body /order/\n", view, NULL);
	assert_int_equal(quiet->matches->len, 0);
}

static void
test_match_limit(void **state)
{
	/* the classic catastrophe: returns promptly, flagged, not matched */
	g_autofree char *as = g_strnfill(5000, 'a');
	g_autofree char *body = g_strconcat(as, "!", NULL);
	g_autoptr(TwView) view = make_view("s", body);
	gint64 start = g_get_monotonic_time();
	g_autoptr(TwVerdict) v =
		eval_text("rule BAD\n    body /(a+)+$/\n"
			  "rule GOOD\n    body /aaa/\n    score 1\n",
			  view, NULL);
	gint64 took = g_get_monotonic_time() - start;
	assert_false(fired(v, "BAD"));
	assert_true(fired(v, "GOOD"));
	assert_true(v->anomalies & TW_ANOMALY_RULE_LIMIT);
	/* not a timing assertion: a hang would never get here; this only
	 * guards against the limit being ignored outright */
	assert_true(took < 60 * G_USEC_PER_SEC);
}

static void
test_rule_budget(void **state)
{
	g_autofree char *path = write_file("b.rules", "rule A\n    body /x/\n");
	char *paths[] = {path, NULL};
	TwLimits limits;
	tw_limits_init(&limits);
	limits.rule_budget_ms = -1; /* already spent */
	g_autoptr(TwRuleSet) set = tw_rules_load(paths, &limits, NULL, NULL);
	assert_non_null(set);
	g_autoptr(TwView) view = make_view("s", "x");
	g_autoptr(TwVerdict) v = tw_rules_eval(set, view, NULL);
	assert_true(v->anomalies & TW_ANOMALY_RULE_LIMIT);
	assert_int_equal(v->hits->len, 0);
}

static void
test_rule_budget_inside_a_rule(void **state)
{
	/* one rule with names goes through every match: the budget must stop
	 * it there, not only between rules */
	g_autofree char *path = write_file(
		"c.rules", "rule MANY\n    body /(?<asin>B0[0-9]{8})/\n");
	char *paths[] = {path, NULL};
	TwLimits limits;
	tw_limits_init(&limits);
	limits.rule_budget_ms = 1;
	g_autoptr(TwRuleSet) set = tw_rules_load(paths, &limits, NULL, NULL);
	assert_non_null(set);
	GString *body = g_string_new(NULL);
	for (guint i = 0; i < 400000; i++)
		g_string_append_printf(body, "B0%08u ", i);
	g_autoptr(TwView) view = make_view("s", body->str);
	g_string_free(body, TRUE);
	g_autoptr(TwVerdict) v = tw_rules_eval(set, view, NULL);
	assert_true(v->anomalies & TW_ANOMALY_RULE_LIMIT);
	assert_false(fired(v, "MANY"));
	assert_null(tw_verdict_fact(v, "asin"));

	/* with time enough, the facts it keeps are bounded */
	limits.rule_budget_ms = 3600 * 1000;
	g_autoptr(TwRuleSet) slow = tw_rules_load(paths, &limits, NULL, NULL);
	g_autoptr(TwVerdict) all = tw_rules_eval(slow, view, NULL);
	assert_true(fired(all, "MANY"));
	assert_int_equal(tw_verdict_fact(all, "asin")->values->len,
			 TW_FACT_VALUES_MAX);
}

static void
test_view_anomalies_carried(void **state)
{
	g_autoptr(TwView) view = make_view("s", "x");
	view->anomalies = TW_ANOMALY_BAD_CHARSET;
	g_autoptr(TwVerdict) v =
		eval_text("rule A\n    body /x/\n", view, NULL);
	assert_int_equal(v->anomalies, TW_ANOMALY_BAD_CHARSET);
}

static void
test_includes_directories_redefinition(void **state)
{
	g_autofree char *a = write_file("inc/10-a.rules",
					"include parts/*.rules\n"
					"rule A\n    body /x/\n    score 1\n");
	g_autofree char *p1 =
		write_file("inc/parts/p1.rules", "rule P1\n    body /xx?/\n");
	g_autofree char *p2 = write_file("inc/parts/p2.rules", "list L x\n");
	g_autofree char *b = write_file("inc/20-b.rules",
					"rule A\n    body /x/\n    score 7\n");
	g_autofree char *skip = write_file("inc/notes.txt", "not rules\n");
	g_autofree char *dir = g_build_filename(tmp, "inc", NULL);
	char *paths[] = {dir, NULL};
	TwLimits limits;
	tw_limits_init(&limits);
	g_autoptr(GPtrArray) diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)tw_diag_free);
	g_autoptr(TwRuleSet) set = tw_rules_load(paths, &limits, diags, NULL);
	assert_non_null(set);
	assert_int_equal(tw_rules_count(set), 2);
	/* the redefinition keeps the place of the first and says so */
	assert_string_equal(tw_rules_name(set, 0), "P1");
	assert_string_equal(tw_rules_name(set, 1), "A");
	assert_int_equal(diags->len, 1);
	g_autofree char *w = tw_diag_format(diags->pdata[0]);
	assert_non_null(strstr(w, "20-b.rules:1:6: warning: rule A redefines "
				  "the one in "));
	g_autoptr(TwView) view = make_view("s", "x");
	g_autoptr(TwVerdict) v = tw_rules_eval(set, view, NULL);
	assert_int_equal(v->score, 700);

	/* a directory without rule files loads, with a warning: a typo in
	 * the configuration must not pass unseen */
	g_autofree char *empty =
		g_build_filename(tmp, "inc", "parts", "none", NULL);
	g_mkdir_with_parents(empty, 0755);
	char *epaths[] = {empty, NULL};
	g_autoptr(GPtrArray) ediags =
		g_ptr_array_new_with_free_func((GDestroyNotify)tw_diag_free);
	g_autoptr(TwRuleSet) none =
		tw_rules_load(epaths, &limits, ediags, NULL);
	assert_non_null(none);
	assert_int_equal(tw_rules_count(none), 0);
	assert_int_equal(ediags->len, 1);
	g_autofree char *ew = tw_diag_format(ediags->pdata[0]);
	assert_non_null(strstr(ew, "warning: no .rules files"));
}

static void
test_include_cycle(void **state)
{
	g_autofree char *a = write_file("cyc/a.rules", "include b.rules\n");
	g_autofree char *b = write_file("cyc/b.rules", "include a.rules\n");
	char *paths[] = {a, NULL};
	TwLimits limits;
	tw_limits_init(&limits);
	g_autoptr(GPtrArray) diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)tw_diag_free);
	g_autoptr(GError) error = NULL;
	TwRuleSet *set = tw_rules_load(paths, &limits, diags, &error);
	assert_null(set);
	assert_true(g_error_matches(error, TW_ERROR, TW_ERROR_DATA));
	g_autofree char *d = tw_diag_format(diags->pdata[0]);
	assert_non_null(strstr(d, "b.rules:1:9: include cycle: "));
	assert_non_null(strstr(d, "a.rules -> "));
}

static void
test_off_by_redefinition(void **state)
{
	g_autofree char *a = write_file(
		"off/a.rules", "rule LOUD\n    body /x/\n    score 5\n"
			       "rule USES\n    when LOUD\n    score 1\n");
	/* "off" alone silences a rule: it needs no test of its own */
	g_autofree char *b = write_file("off/b.rules", "rule LOUD\n    off\n");
	char *paths[] = {a, b, NULL};
	TwLimits limits;
	tw_limits_init(&limits);
	g_autoptr(TwRuleSet) set = tw_rules_load(paths, &limits, NULL, NULL);
	g_autoptr(TwView) view = make_view("s", "x");
	g_autoptr(TwVerdict) v = tw_rules_eval(set, view, NULL);
	assert_int_equal(v->hits->len, 0);
	assert_int_equal(v->score, 0);
}

static void
test_limit_drops_facts(void **state)
{
	/* a rule that hits a limit after a first match did not match: the
	 * facts and match it found on the way are dropped too */
	g_autofree char *as = g_strnfill(5000, 'a');
	g_autofree char *body = g_strconcat("ok ", as, "c", NULL);
	g_autoptr(TwView) view = make_view("s", body);
	TwEvalOptions opts = {.explain = TRUE};
	g_autoptr(TwVerdict) v = eval_text(
		"rule R\n    body /(?<plaintiff>ok)|(a+)+b/\n    score 1\n",
		view, &opts);
	assert_int_equal(v->hits->len, 0);
	assert_null(tw_verdict_fact(v, "plaintiff"));
	assert_int_equal(v->matches->len, 0);
	assert_true(v->anomalies & TW_ANOMALY_RULE_LIMIT);
}

static void
test_prefilter_literals(void **state)
{
	static const struct {
		const char *pattern, *flags, *want; /* want: "a|b", or NULL */
	} cases[] = {
		{"\\btemporary\\s+restraining\\s+order\\b", "i", "restraining"},
		{"\\btemporary\\s+restraining\\s+order\\b|临时(?:限制|禁)令",
		 "i", "restraining|临时"},
		{"identified\\s+(?:on|in)\\s+(?:schedule|exhibit)", "i",
		 "identified"},
		{"(?:summons|complaint)", "", "summons|complaint"},
		{"Case No\\. [0-9]+", "", "case no. "},
		{"ab(?:cde)?fg", "", NULL}, /* no run of 3 */
		{"foo|.*", "", NULL},	    /* an alternative with none */
		{"(?<case>[0-9]:[0-9]{2}-cv-[0-9]+)", "i", "-cv-"},
		{"(?<n>[0-9]+)-[0-9]+", "", NULL},
		{"x(?=abc)yz", "", NULL}, /* lookahead: not required */
		{"ord+er", "", "ord"},	  /* then "er": too short */
		{"or+der", "", "der"},
		{"orde+r", "", "orde"},
		{"(?:abc){0,3}xyz", "", "xyz"},
		{"(?:abc){2}", "", "abc"},
		{"café", "i", NULL}, /* é folds beyond ASCII */
		{"café", "", "café"},
		{"a b c d", "x", NULL}, /* extended: spaces vanish */
		{"(?i)Restrained", "", "restrained"},
		{"\\Qa.b\\E", "", NULL},
		{"(a)\\1bcd", "", NULL},
		{"[xyz]+hello", "", "hello"},
		{"a|bcd", "", NULL}, /* "a" is too short */
		/* a few literal characters in a class multiply the literal */
		{"侵[权權]投[诉訴]", "", "侵权投诉|侵權投诉|侵权投訴|侵權投訴"},
		{"[Tt]emporary", "", "temporary"},
		{"ab[cd]?efg", "", "efg"}, /* optional: the run ends */
		{"[a-z]bcd", "", "bcd"},   /* a range is no literal */
		{"[^x]yzw", "", "yzw"},	   /* nor a negation */
		/* at most 16 variants: the fifth class starts a new run */
		{"x[ab][cd][ef][gh][ij]", "",
		 "xaceg|xbceg|xadeg|xbdeg|xacfg|xbcfg|xadfg|xbdfg|xaceh|xbceh|"
		 "xadeh|xbdeh|xacfh|xbcfh|xadfh|xbdfh"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) lits = tw_rules_prefilter_literals(
			cases[i].pattern, cases[i].flags);
		g_autofree char *got = NULL;
		if (lits != NULL) {
			g_ptr_array_add(lits, NULL);
			got = g_strjoinv("|", (char **)lits->pdata);
		}
		if (g_strcmp0(got, cases[i].want) != 0)
			fail_msg("/%s/%s: got %s, want %s", cases[i].pattern,
				 cases[i].flags, got ? got : "(none)",
				 cases[i].want ? cases[i].want : "(none)");
	}
}

static void
test_prefilter_branches(void **state)
{
	/* want: each alternative as "pattern=literal,literal" (no literal:
	 * "pattern=" last), joined by "  "; NULL: no split */
	static const struct {
		const char *pattern, *flags, *want;
	} cases[] = {
		{"summons|complaint", "",
		 "summons=summons  complaint=complaint"},
		{"\\bTROs?\\b|temporary\\s+restraining|临时(?:限制|禁)令", "i",
		 "\\bTROs?\\b=tro  temporary\\s+restraining=restraining  "
		 "临时(?:限制|禁)令=临时"},
		/* the literal-less alternatives, joined, last */
		{"ab|summons|[0-9]+x|cd", "",
		 "summons=summons  ab|[0-9]+x|cd="},
		/* a group around it all and leading options are kept */
		{"(?J)(?<case>[0-9]-cv-[0-9]+|No\\. [0-9]+ C|案号)", "",
		 "(?J)(?<case>[0-9]-cv-[0-9]+)=-cv-  (?J)(?<case>No\\. [0-9]+ C)=no. "
		 "  (?J)(?<case>案号)=案号"},
		{"(?:(?i:alpha|beta))", "",
		 "(?:(?i:alpha))=alpha  (?:(?i:beta))=beta"},
		{"[|]abc|d\\|ef", "", "[|]abc=|abc  d\\|ef=d|ef"},
		{"(?:abc|def)x", "", NULL},   /* one alternative at the top */
		{"(?:abc|def)+", "", NULL},   /* a repeated group */
		{"(?=abc|def)", "", NULL},    /* a lookahead */
		{"ab|cd", "", NULL},	      /* no literal anywhere */
		{"abc(?i)xyz|def", "", NULL}, /* (?i) carries into "def" */
		{"(abc)|\\1def", "", NULL},   /* a back reference */
		{"(?|(abc)|(def))", "", NULL},
		{"(?(1)abc|def)", "", NULL},
		{"abc|def", "x", NULL},
		{"\\Qa|b\\Eabc|def", "", NULL},
		{"(*UCP)abc|def", "", NULL},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) b = tw_rules_prefilter_branches(
			cases[i].pattern, cases[i].flags);
		g_autoptr(GString) got = g_string_new(NULL);
		for (guint k = 0; b != NULL && k < b->len; k++) {
			const TwBranch *br = g_ptr_array_index(b, k);
			g_string_append_printf(got, "%s%s=", k ? "  " : "",
					       br->pattern);
			for (guint l = 0; br->lits && l < br->lits->len; l++)
				g_string_append_printf(
					got, "%s%s", l ? "," : "",
					(char *)br->lits->pdata[l]);
		}
		const char *g = b != NULL ? got->str : NULL;
		if (g_strcmp0(g, cases[i].want) != 0)
			fail_msg("/%s/%s: got %s, want %s", cases[i].pattern,
				 cases[i].flags, g ? g : "(none)",
				 cases[i].want ? cases[i].want : "(none)");
	}
}

static void
test_prefilter_same_verdicts(void **state)
{
	/* rules whose literals are present, absent, caseless, non-ASCII;
	 * the verdict must not depend on the prefilter */
	const char *rules =
		"rule A\n    body /temporary\\s+restraining\\s+order/i\n    score 1\n"
		"rule B\n    body /Temporary Restraining/\n    score 2\n"
		"rule C\n    any /临时限制令|summons/\n    score 4\n"
		"rule D\n    subject /notice of (?<plaintiff>lawsuit)/i\n    score 8\n"
		"rule E\n    rawbody /absent literal/\n    score 16\n"
		"rule F\n    body /kelvin/i\n    score 32\n"
		"rule G\n    body /(?<amount>\\$[0-9]+)/\n    score 64\n"
		/* split into alternatives, some of them without literals */
		"rule H\n    body /(?<case>[0-9]{2}-cv-[0-9]+)|summons|order\\s+to\\s+show/i\n    score 128\n"
		"rule I\n    any /(?J)(?<plaintiff>alpha corp)|(?<plaintiff>beta inc)|x{3}[0-9]/\n    score 256\n"
		"rule J\n    body /(?:restrain(?:ed|ing)|frozen)\\s+funds|\\bTRO\\b|\\$[0-9]/i\n    score 512\n";
	static const char *const bodies[] = {
		"a TEMPORARY restraining ORDER",
		"Temporary Restraining",
		"冻结 临时限制令 $12",
		"nothing at all",
		"\u212Aelvin here",
		"summons and absent literal",
		"25-cv-01234 and an ORDER to show",
		"alpha corp v. beta inc; xxx9",
		"controlled funds, not frozen: Frozen  funds? restraining funds",
		"a TRO.",
		"metro control",
	};
	g_autofree char *diags = NULL;
	g_autoptr(TwRuleSet) set = load_text(rules, &diags);
	assert_non_null(set);
	assert_non_null(set->prefilter);
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(TwView) view =
			make_view("Notice of Lawsuit", bodies[i]);
		set->prefilter_off = FALSE;
		g_autoptr(TwVerdict) with = tw_rules_eval(set, view, NULL);
		set->prefilter_off = TRUE;
		g_autoptr(TwVerdict) without = tw_rules_eval(set, view, NULL);
		if (with->score != without->score)
			fail_msg(
				"%s: score %ld with the prefilter, %ld without",
				bodies[i], (long)with->score,
				(long)without->score);
		if (with->facts->len != without->facts->len)
			fail_msg("%s: %u facts with the prefilter, %u without",
				 bodies[i], with->facts->len,
				 without->facts->len);
	}
	/* the Kelvin sign folds to k under PCRE2's caseless UCP matching */
	g_autoptr(TwView) kelvin = make_view("s", "\u212Aelvin");
	set->prefilter_off = FALSE;
	g_autoptr(TwVerdict) v = tw_rules_eval(set, kelvin, NULL);
	assert_true(fired(v, "F"));

	/* the split rules were split, and fire (or not) through their
	 * alternatives, facts included */
	for (guint i = 0; i < set->rules->len; i++) {
		const Rule *r = g_ptr_array_index(set->rules, i);
		if (strchr("HIJ", r->name[0]) != NULL)
			assert_true(r->nprobes >= 2);
	}
	g_autoptr(TwView) h = make_view("s", "see 25-cv-01234 and more");
	g_autoptr(TwVerdict) vh = tw_rules_eval(set, h, NULL);
	assert_true(fired(vh, "H"));
	assert_non_null(tw_verdict_fact(vh, "case"));
	g_autoptr(TwView) j = make_view("s", "metro control, no funds");
	g_autoptr(TwVerdict) vj = tw_rules_eval(set, j, NULL);
	assert_false(fired(vj, "J"));
	g_autoptr(TwView) j2 = make_view("s", "the TRO.");
	g_autoptr(TwVerdict) vj2 = tw_rules_eval(set, j2, NULL);
	assert_true(fired(vj2, "J"));
}

static int
setup(void **state)
{
	tmp = g_dir_make_tmp("trowatch-rules-XXXXXX", NULL);
	return tmp == NULL;
}

static void
remove_tree(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
	    !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d && (name = g_dir_read_name(d)) != NULL) {
			g_autofree char *child =
				g_build_filename(path, name, NULL);
			remove_tree(child);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

static int
teardown(void **state)
{
	remove_tree(tmp);
	g_free(tmp);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_all_errors_in_one_run),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_control_character),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_authres_trusts_only_its_id),
		cmocka_unit_test(test_lists_and_identity),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_scores_thresholds_floors_caps),
		cmocka_unit_test(test_tags_suspect_hits),
		cmocka_unit_test(test_facts_every_match),
		cmocka_unit_test(test_explain_records_matches),
		cmocka_unit_test(test_match_limit),
		cmocka_unit_test(test_rule_budget),
		cmocka_unit_test(test_rule_budget_inside_a_rule),
		cmocka_unit_test(test_view_anomalies_carried),
		cmocka_unit_test(test_includes_directories_redefinition),
		cmocka_unit_test(test_include_cycle),
		cmocka_unit_test(test_off_by_redefinition),
		cmocka_unit_test(test_limit_drops_facts),
		cmocka_unit_test(test_prefilter_literals),
		cmocka_unit_test(test_prefilter_branches),
		cmocka_unit_test(test_prefilter_same_verdicts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
