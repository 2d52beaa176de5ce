/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The benchmark: messages per second and MB per second for the message view
 * alone and for the full classification, over at least --min messages (the
 * samples and the real corpus, repeated), then the same with ten times the
 * rules, and peak memory.  CPU time of this one process: one core.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

#include "trowatch/mail.h"
#include "trowatch/rules.h"
#include "trowatch/util.h"

typedef struct {
	char *data;
	gsize len;
} Message;

static double
cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
collect(const char *dir, GPtrArray *paths)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			collect(path, paths);
			g_free(path);
		} else if (g_str_has_suffix(name, ".eml")) {
			g_ptr_array_add(paths, path);
		} else {
			g_free(path);
		}
	}
}

static int
compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Variant @k of a rule file (k >= 1; 0 is the file as it is): every rule
 * renamed NAME_Vk, every run of two or more letters in a pattern given a
 * distinct suffix ("order" -> "orderqk"), names in when-expressions renamed
 * alike.  Thresholds and lists stay with the original.  The variants have
 * distinct literals and match what real rules rarely match: the cost of
 * rules that do not fire, which is most rules on most mail.
 */
static void
variant(GString *out, const char *text, guint k)
{
	if (k == 0) {
		g_string_append_printf(out, "%s\n", text);
		return;
	}
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean in_list = FALSE;
	for (char **l = lines; *l; l++) {
		const char *line = *l;
		gboolean indented = *line == ' ' || *line == '\t';
		if (!indented)
			in_list = g_str_has_prefix(line, "list ");
		if (g_str_has_prefix(line, "threshold ") || in_list ||
		    g_str_has_prefix(line, "include ")) {
			if (k == 0)
				g_string_append_printf(out, "%s\n", line);
			continue;
		}
		gboolean in_pattern = FALSE, in_class = FALSE;
		gboolean in_when = strstr(line, " when ") != NULL ||
				   g_str_has_prefix(line, "rule ");
		for (const char *p = line; *p;) {
			if (!in_pattern && *p == '/' && indented && !in_when &&
			    strchr(p + 1, '/') != NULL) {
				in_pattern = TRUE;
				g_string_append_c(out, *p++);
				continue;
			}
			/* a group's name is not a literal */
			if (in_pattern && g_str_has_prefix(p, "(?<") &&
			    g_ascii_isalpha(p[3])) {
				const char *e = strchr(p, '>');
				if (e != NULL) {
					g_string_append_len(out, p, e + 1 - p);
					p = e + 1;
					continue;
				}
			}
			if (in_pattern && *p == '\\' && p[1]) {
				g_string_append_len(out, p, 2);
				p += 2;
				continue;
			}
			if (in_pattern && *p == '[')
				in_class = TRUE;
			if (in_pattern && *p == ']')
				in_class = FALSE;
			if (in_pattern && *p == '/') {
				in_pattern = FALSE;
				g_string_append_c(out, *p++);
				continue;
			}
			if (in_pattern && !in_class && g_ascii_isalpha(*p) &&
			    (p == line || p[-1] != '?')) {
				const char *e = p;
				while (g_ascii_isalpha(*e))
					e++;
				g_string_append_len(out, p, e - p);
				if (e - p >= 2)
					g_string_append_printf(out, "q%u", k);
				p = e;
				continue;
			}
			if (in_when && g_ascii_isupper(*p) &&
			    (p == line || !g_ascii_isalnum(p[-1]))) {
				const char *e = p;
				while (g_ascii_isupper(*e) ||
				       g_ascii_isdigit(*e) || *e == '_')
					e++;
				g_string_append_len(out, p, e - p);
				g_string_append_printf(out, "_V%u", k);
				p = e;
				continue;
			}
			g_string_append_c(out, *p++);
		}
		g_string_append_c(out, '\n');
	}
}

static char *
rule_text(const char *path)
{
	GString *all = g_string_new(NULL);
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_autoptr(GPtrArray) files =
			g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d && (name = g_dir_read_name(d)) != NULL)
			if (g_str_has_suffix(name, ".rules"))
				g_ptr_array_add(
					files,
					g_build_filename(path, name, NULL));
		g_ptr_array_sort(files, compare);
		for (guint i = 0; i < files->len; i++) {
			g_autofree char *t = NULL;
			if (g_file_get_contents(files->pdata[i], &t, NULL,
						NULL))
				g_string_append_printf(all, "%s\n", t);
		}
	} else {
		g_autofree char *t = NULL;
		if (g_file_get_contents(path, &t, NULL, NULL))
			g_string_append(all, t);
	}
	return g_string_free(all, FALSE);
}

typedef struct {
	double seconds;
	guint64 bytes;
	guint messages;
	guint counts[TW_SEVERITY_COUNT];
} Run;

static Run
run(const GPtrArray *messages, const TwLimits *limits, const TwRuleSet *set)
{
	Run r = {0};
	double start = cpu_seconds();
	for (guint i = 0; i < messages->len; i++) {
		const Message *m = g_ptr_array_index(messages, i);
		TwView *view = tw_mail_view_new(m->data, m->len, limits);
		if (set != NULL) {
			TwVerdict *v = tw_rules_eval(set, view, NULL);
			r.counts[v->severity]++;
			tw_verdict_free(v);
		}
		tw_view_free(view);
		r.bytes += m->len;
		r.messages++;
	}
	r.seconds = cpu_seconds() - start;
	return r;
}

static void
report(const char *name, const Run *r)
{
	printf("%-34s %8u msgs %8.2f s %9.0f msgs/s %7.1f MB/s\n", name,
	       r->messages, r->seconds, r->messages / r->seconds,
	       r->bytes / 1048576.0 / r->seconds);
}

static TwRuleSet *
load(char **paths, const TwLimits *limits)
{
	g_autoptr(GError) error = NULL;
	TwRuleSet *set = tw_rules_load(paths, limits, NULL, &error);
	if (set == NULL) {
		fprintf(stderr, "bench: %s: %s\n", paths[0], error->message);
		exit(2);
	}
	return set;
}

int
main(int argc, char **argv)
{
	g_autofree char *rules = NULL;
	g_auto(GStrv) dirs = NULL;
	int min = 10000;
	const GOptionEntry entries[] = {
		{"rules", 0, 0, G_OPTION_ARG_FILENAME, &rules,
		 "rule file or directory", "PATH"},
		{"corpus", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs,
		 "directory of .eml files (repeatable)", "DIR"},
		{"min", 0, 0, G_OPTION_ARG_INT, &min,
		 "messages at least (the corpus is repeated)", "N"},
		{NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- benchmark");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, &argc, &argv, &error) || !rules ||
	    !dirs) {
		fprintf(stderr,
			"usage: bench --rules PATH --corpus DIR... [--min N]\n");
		return 64;
	}

	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	for (char **d = dirs; *d; d++)
		collect(*d, paths);
	g_ptr_array_sort(paths, compare);
	g_autoptr(GPtrArray) corpus = g_ptr_array_new();
	guint64 corpus_bytes = 0;
	for (guint i = 0; i < paths->len; i++) {
		Message *m = g_new0(Message, 1);
		if (!g_file_get_contents(paths->pdata[i], &m->data, &m->len,
					 NULL)) {
			g_free(m);
			continue;
		}
		corpus_bytes += m->len;
		g_ptr_array_add(corpus, m);
	}
	if (corpus->len == 0) {
		fprintf(stderr, "bench: no .eml files found\n");
		return 66;
	}
	g_autoptr(GPtrArray) messages = g_ptr_array_new();
	while (messages->len < (guint)min)
		for (guint i = 0; i < corpus->len; i++)
			g_ptr_array_add(messages, corpus->pdata[i]);

	TwLimits limits;
	tw_limits_init(&limits);
	/* a benchmark measures work, not the safety net */
	limits.rule_budget_ms = G_MAXINT64 / 1000;
	tw_mail_init();

	char *one[] = {rules, NULL};
	g_autoptr(TwRuleSet) set = load(one, &limits);
	g_autofree char *text = rule_text(rules);
	GString *ten = g_string_new(NULL);
	for (guint k = 0; k < 10; k++)
		variant(ten, text, k);
	g_autofree char *tmpdir = g_dir_make_tmp("trowatch-bench-XXXXXX", NULL);
	g_autofree char *tenpath = g_build_filename(tmpdir, "x10.rules", NULL);
	g_file_set_contents(tenpath, ten->str, (gssize)ten->len, NULL);
	g_string_free(ten, TRUE);
	char *tenpaths[] = {tenpath, NULL};
	g_autoptr(TwRuleSet) set10 = load(tenpaths, &limits);

	printf("corpus: %u files, %.1f MiB; run over %u messages, %.1f MiB\n",
	       corpus->len, corpus_bytes / 1048576.0, messages->len,
	       corpus_bytes / 1048576.0 * messages->len / corpus->len);
	printf("rules: %s: %u rules; x10 (the rules and 9 variants with other "
	       "literals): %u rules\n",
	       rules, tw_rules_count(set), tw_rules_count(set10));

	Run view = run(messages, &limits, NULL);
	Run full = run(messages, &limits, set);
	Run full10 = run(messages, &limits, set10);
	report("view alone", &view);
	report("view + rules", &full);
	report("view + rules x10", &full10);
	printf("full classification / view alone: %.2f of the speed "
	       "(target >= 0.50)\n",
	       view.seconds / full.seconds);
	double rules1 = full.seconds - view.seconds;
	double rules10 = full10.seconds - view.seconds;
	printf("x10 rules / rules: %.2f times the time of the full "
	       "classification (target < 2), rule evaluation alone %.2f s -> "
	       "%.2f s\n",
	       full10.seconds / full.seconds, rules1, rules10);
	printf("severities (rules): critical %u, high %u, medium %u, low %u, "
	       "none %u\n",
	       full.counts[4], full.counts[3], full.counts[2], full.counts[1],
	       full.counts[0]);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory: %.1f MiB (resident, with the corpus held in "
	       "memory)\n",
	       ru.ru_maxrss / 1024.0);

	g_unlink(tenpath);
	g_rmdir(tmpdir);
	for (guint i = 0; i < corpus->len; i++) {
		Message *m = corpus->pdata[i];
		g_free(m->data);
		g_free(m);
	}
	tw_mail_shutdown();
	return 0;
}
