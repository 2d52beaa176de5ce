/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trowatch rules check | test: compile rule files; test them on labelled mail. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "trowatch/mail.h"
#include "trowatch/util.h"

static int
rules_check(TwCli *cli, int argc, char **argv)
{
	g_autoptr(GOptionContext) context = tw_cli_context_new(
		cli, "rules check", "[PATH...]",
		"Compile the rule files and directories in PATH (by default the\n"
		"configured rules) and report every problem as\n"
		"FILE:LINE:COL: message.\n"
		"\n"
		"Exit status: 0 no errors (warnings allowed); 65 errors;\n"
		"78 bad configuration.",
		NULL);
	if (!tw_cli_parse(cli, context, &argc, &argv))
		return EX_USAGE;

	g_autoptr(GError) error = NULL;
	g_autoptr(TwConfig) config = tw_cli_load_config(cli, FALSE, &error);
	if (config == NULL)
		return tw_cli_report(error);
	guint warnings = 0;
	char **paths = argc > 2 ? argv + 2 : NULL;
	g_autoptr(TwRuleSet) rules =
		tw_cli_load_rules(config, paths, TRUE, &warnings, &error);
	if (rules == NULL) {
		tw_error("%s", error->message);
		return EX_DATAERR;
	}
	printf("%u rule%s, no errors", tw_rules_count(rules),
	       tw_rules_count(rules) == 1 ? "" : "s");
	if (warnings > 0)
		printf(", %u warning%s", warnings, warnings == 1 ? "" : "s");
	printf("\n");
	return EX_OK;
}

/* What X-Trowatch-Expect asks for. */
typedef struct {
	guint severities; /* bit per accepted TwSeverity; 0: any */
	char **cases;	  /* expected case keys, or NULL: not checked */
	int suspect;	  /* 1 yes, 0 no, -1 not checked */
} Expect;

static void
expect_clear(Expect *e)
{
	g_strfreev(e->cases);
}

static gboolean
parse_expect(const char *text, Expect *e, GString *why)
{
	g_auto(GStrv) items = g_strsplit(text, ";", -1);
	*e = (Expect){.suspect = -1};
	for (char **it = items; *it; it++) {
		char *item = g_strstrip(*it);
		if (*item == '\0')
			continue;
		char *eq = strchr(item, '=');
		if (eq == NULL) {
			g_string_append_printf(why, "'%s' is not key=value",
					       item);
			return FALSE;
		}
		*eq = '\0';
		char *key = g_strstrip(item), *value = g_strstrip(eq + 1);
		if (strcmp(key, "severity") == 0) {
			g_auto(GStrv) levels = g_strsplit(value, "|", -1);
			for (char **l = levels; *l; l++) {
				int s = tw_severity_parse(g_strstrip(*l));
				if (s < 0) {
					g_string_append_printf(
						why, "unknown severity '%s'",
						*l);
					return FALSE;
				}
				e->severities |= 1u << s;
			}
		} else if (strcmp(key, "case") == 0) {
			g_strfreev(e->cases);
			e->cases = g_strsplit(value, ",", -1);
			for (char **c = e->cases; *c; c++)
				g_strstrip(*c);
			if (*value == '\0') { /* "case=": none expected */
				g_strfreev(e->cases);
				e->cases = g_new0(char *, 1);
			}
		} else if (strcmp(key, "suspect") == 0) {
			if (strcmp(value, "yes") != 0 &&
			    strcmp(value, "no") != 0) {
				g_string_append_printf(
					why, "suspect is yes or no, not '%s'",
					value);
				return FALSE;
			}
			e->suspect = strcmp(value, "yes") == 0;
		} else {
			g_string_append_printf(why, "unknown key '%s'", key);
			return FALSE;
		}
	}
	return TRUE;
}

static char *
accepted_names(guint severities)
{
	GString *s = g_string_new(NULL);
	for (int i = TW_SEVERITY_CRITICAL; i >= TW_SEVERITY_NONE; i--)
		if (severities & (1u << i))
			g_string_append_printf(s, "%s%s", s->len ? "|" : "",
					       tw_severity_name(i));
	return g_string_free(s, FALSE);
}

static gboolean
has_case(const TwVerdict *v, const char *key)
{
	const TwFact *f = tw_verdict_fact(v, "case");
	for (guint i = 0; f != NULL && i < f->values->len; i++)
		if (strcmp(f->values->pdata[i], key) == 0)
			return TRUE;
	return FALSE;
}

/* Every difference between @v and @e, one "LABEL: ..." line each. */
static guint
compare(const char *label, const TwVerdict *v, const Expect *e)
{
	guint differences = 0;
	if (e->severities != 0 && !(e->severities & (1u << v->severity))) {
		g_autofree char *want = accepted_names(e->severities);
		g_autofree char *score = tw_score_format(v->score);
		printf("%s: severity %s (score %s), expected %s\n", label,
		       tw_severity_name(v->severity), score, want);
		differences++;
	}
	if (e->cases != NULL) {
		for (char **c = e->cases; *c; c++) {
			if (!has_case(v, *c)) {
				printf("%s: case %s not found\n", label, *c);
				differences++;
			}
		}
		const TwFact *f = tw_verdict_fact(v, "case");
		for (guint i = 0; f != NULL && i < f->values->len; i++) {
			if (!g_strv_contains((const char *const *)e->cases,
					     f->values->pdata[i])) {
				printf("%s: case %s found, not expected\n",
				       label, (char *)f->values->pdata[i]);
				differences++;
			}
		}
	}
	if (e->suspect >= 0 && e->suspect != (v->suspect ? 1 : 0)) {
		printf("%s: suspect %s, expected %s\n", label,
		       v->suspect ? "yes" : "no", e->suspect ? "yes" : "no");
		differences++;
	}
	return differences;
}

static int
rules_test(TwCli *cli, int argc, char **argv)
{
	gboolean coverage = FALSE;
	const GOptionEntry entries[] = {
		{"coverage", 0, 0, G_OPTION_ARG_NONE, &coverage,
		 "list the rules that fired on no message", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) context = tw_cli_context_new(
		cli, "rules test", "[--coverage] PATH...",
		"Run the rules over labelled mail in PATH (files, directories,\n"
		"Maildirs, mbox files) and print every difference from what\n"
		"each message's X-Trowatch-Expect field asks for:\n"
		"  X-Trowatch-Expect: severity=high|critical; case=25-cv-01234; suspect=yes\n"
		"(each key optional; | lists accepted severities; case= lists\n"
		"every case number the message mentions).\n"
		"\n"
		"Exit status: 0 no difference; 1 differences; 65 rule errors\n"
		"or input that is not mail; 66 input that cannot be opened.",
		entries);
	if (!tw_cli_parse(cli, context, &argc, &argv))
		return EX_USAGE;
	if (argc < 3)
		return tw_cli_usage_error(
			"rules test needs a PATH of labelled mail (see "
			"'trowatch rules test --help')");

	g_autoptr(GError) error = NULL;
	g_autoptr(TwConfig) config = tw_cli_load_config(cli, FALSE, &error);
	if (config == NULL)
		return tw_cli_report(error);
	g_autoptr(TwRuleSet) rules =
		tw_cli_load_rules(config, NULL, TRUE, NULL, &error);
	if (rules == NULL) {
		tw_error("%s", error->message);
		return EX_DATAERR;
	}
	TwEvalOptions options;
	tw_cli_eval_options(config, FALSE, &options);
	g_autofree gboolean *fired =
		g_new0(gboolean, tw_rules_count(rules) + 1);
	g_autoptr(GHashTable) index = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < tw_rules_count(rules); i++)
		g_hash_table_insert(index, (gpointer)tw_rules_name(rules, i),
				    GUINT_TO_POINTER(i));

	tw_mail_init();
	TwInputs in;
	TwInputMessage msg;
	guint messages = 0, labelled = 0, differing = 0, differences = 0;
	tw_cli_inputs_init(&in, argv + 2, config->limits.message_size);
	while (tw_cli_inputs_next(&in, &msg)) {
		messages++;
		g_autofree char *label_text = tw_mail_header_field(
			msg.data, msg.len, "X-Trowatch-Expect");
		g_autoptr(TwView) view =
			tw_mail_view_new(msg.data, msg.len, &config->limits);
		g_autoptr(TwVerdict) v = tw_rules_eval(rules, view, &options);
		for (guint i = 0; i < v->hits->len; i++) {
			const TwHit *h = g_ptr_array_index(v->hits, i);
			fired[GPOINTER_TO_UINT(
				g_hash_table_lookup(index, h->name))] = TRUE;
		}
		/* rules.md: warn when one sample trips both */
		if (v->floor >= 0 && v->cap >= 0)
			printf("%s: warning: a cap (%s) %s a floor (%s)\n",
			       msg.label, tw_severity_name(v->cap),
			       v->cap < v->floor ? "overrides" : "fired with",
			       tw_severity_name(v->floor));
		if (label_text == NULL)
			continue;
		labelled++;
		Expect e;
		g_autoptr(GString) why = g_string_new(NULL);
		if (!parse_expect(label_text, &e, why)) {
			printf("%s: bad X-Trowatch-Expect: %s\n", msg.label,
			       why->str);
			differing++;
			differences++;
			expect_clear(&e);
			continue;
		}
		guint d = compare(msg.label, v, &e);
		differing += d > 0;
		differences += d;
		expect_clear(&e);
	}
	int status = in.status;
	tw_cli_inputs_deinit(&in);
	tw_mail_shutdown();

	if (coverage) {
		guint unused = 0;
		for (guint i = 0; i < tw_rules_count(rules); i++) {
			if (fired[i])
				continue;
			printf("coverage: %s fired on no message\n",
			       tw_rules_name(rules, i));
			unused++;
		}
		printf("coverage: %u of %u rules fired\n",
		       tw_rules_count(rules) - unused, tw_rules_count(rules));
	}
	printf("%u messages, %u labelled, %u with differences (%u "
	       "differences)\n",
	       messages, labelled, differing, differences);
	if (differences > 0)
		return 1;
	return status;
}

int
tw_cli_rules(TwCli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return rules_check(cli, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "test") == 0)
		return rules_test(cli, argc, argv);
	if (argc >= 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage:\n"
		       "  trowatch rules check [PATH...]\n"
		       "  trowatch rules test [--coverage] PATH...\n"
		       "\n"
		       "check: compile rule files and report every problem.\n"
		       "test: run the rules over labelled mail and print "
		       "every difference.\n"
		       "'trowatch rules check --help' and 'trowatch rules "
		       "test --help' tell more.\n");
		return EX_OK;
	}
	if (argc < 2)
		return tw_cli_usage_error(
			"rules needs check or test (see 'trowatch rules --help')");
	return tw_cli_usage_error("unknown rules command '%s' (check or test)",
				  argv[1]);
}
