/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trowatch scan: classify mail in files, directories, Maildirs, mbox, stdin. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "trowatch/mail.h"
#include "trowatch/util.h"

typedef enum { FORMAT_TABLE, FORMAT_JSON } Format;

static void
message_info(const TwView *view, const TwInputMessage *msg, TwMessageInfo *info)
{
	const TwHeader *subject = tw_view_header(view, "Subject");
	const TwAddress *from =
		view->from->len > 0 ? g_ptr_array_index(view->from, 0) : NULL;
	*info = (TwMessageInfo){
		.path = msg->path ? msg->label : NULL,
		.source_kind = msg->path ? "file" : "stdin",
		.source_path = msg->path,
		.message_id = view->message_id,
		.date = view->date,
		.from = from ? from->addr : NULL,
		.subject = subject ? subject->value : NULL,
	};
}

static void
print_table_row(GString *out, guint width, const TwVerdict *v,
		const TwMessageInfo *info, gboolean explain)
{
	g_autofree char *score = tw_score_format(v->score);
	const TwFact *cases = tw_verdict_fact(v, "case");
	g_autofree char *case_key = NULL;
	if (cases != NULL && cases->values->len > 1)
		case_key = g_strdup_printf("%s+%u",
					   (char *)cases->values->pdata[0],
					   cases->values->len - 1);
	else if (cases != NULL)
		case_key = g_strdup(cases->values->pdata[0]);
	g_autofree char *severity = g_strdup_printf(
		"%s%s", tw_severity_name(v->severity), v->suspect ? "!" : "");
	tw_cli_output_row(out, width, severity, score,
			  case_key ? case_key : "-",
			  info->from ? info->from : "-",
			  info->subject ? info->subject : "");
	if (explain) {
		if (info->path != NULL)
			g_string_append_printf(out, "    %s\n", info->path);
		tw_cli_output_explain(out, v, width);
	}
}

/*
 * product.md: a progress line on stderr when a scan runs for more than a
 * second on a terminal.  Only when stdout goes elsewhere: on the same
 * terminal the rows themselves show the progress, and a line rewritten
 * under them would garble them.
 */
typedef struct {
	gboolean on;
	gint64 start, last; /* monotonic µs */
	guint messages;
	guint64 bytes;
	gboolean shown;
} Progress;

static void
progress_init(Progress *p)
{
	*p = (Progress){.on = isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO),
			.start = g_get_monotonic_time()};
}

static void
progress_step(Progress *p, gsize bytes)
{
	p->messages++;
	p->bytes += bytes;
	if (!p->on)
		return;
	gint64 now = g_get_monotonic_time();
	if (now - p->start < G_USEC_PER_SEC ||
	    now - p->last < G_USEC_PER_SEC / 4)
		return;
	p->last = now;
	p->shown = TRUE;
	fprintf(stderr, "\rtrowatch: %u messages, %.1f MiB", p->messages,
		(double)p->bytes / (1024.0 * 1024.0));
	fflush(stderr);
}

static void
progress_done(const Progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r%-60s\r", "");
}

int
tw_cli_scan(TwCli *cli, int argc, char **argv)
{
	gboolean dump_view = FALSE, explain = FALSE;
	g_autofree char *format_name = NULL;
	const GOptionEntry entries[] = {
		{"format", 0, 0, G_OPTION_ARG_STRING, &format_name,
		 "table (for people, the default) or json (one object per "
		 "message per line)",
		 "FORMAT"},
		{"explain", 0, 0, G_OPTION_ARG_NONE, &explain,
		 "show every rule that fired with its score, target and "
		 "match, then the facts",
		 NULL},
		{"dump-view", 0, 0, G_OPTION_ARG_NONE, &dump_view,
		 "print what trowatch reads in each message instead of "
		 "classifying it",
		 NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) context = tw_cli_context_new(
		cli, "scan", "PATH...",
		"Classify each message in PATH: a file, a directory (walked,\n"
		"hidden entries skipped), a Maildir (cur/ and new/), an mbox\n"
		"file, or - for standard input.  A table shows severity\n"
		"(\"!\" marks suspect mail), score, case, sender and subject.\n"
		"\n"
		"Exit status: 0 all classified; 65 some input was not mail;\n"
		"66 some input could not be opened; 78 bad configuration.",
		entries);

	if (!tw_cli_parse(cli, context, &argc, &argv))
		return EX_USAGE;
	Format format = FORMAT_TABLE;
	if (format_name != NULL && strcmp(format_name, "json") == 0)
		format = FORMAT_JSON;
	else if (format_name != NULL && strcmp(format_name, "table") != 0)
		return tw_cli_usage_error("unknown format '%s' (table or json)",
					  format_name);
	if (dump_view && (format_name != NULL || explain))
		return tw_cli_usage_error(
			"--dump-view prints the view, not a verdict: it takes "
			"neither --format nor --explain");
	if (argc < 2)
		return tw_cli_usage_error(
			"scan needs a PATH, or - for standard input (see "
			"'trowatch scan --help')");

	g_autoptr(GError) error = NULL;
	g_autoptr(TwConfig) config = tw_cli_load_config(cli, FALSE, &error);
	if (config == NULL)
		return tw_cli_report(error);
	g_autoptr(TwRuleSet) rules = NULL;
	if (!dump_view) {
		rules = tw_cli_load_rules(config, NULL, cli->verbosity > 0,
					  NULL, &error);
		if (rules == NULL)
			return tw_cli_report(error);
	}
	TwEvalOptions options;
	tw_cli_eval_options(config, explain, &options);
	guint width = tw_cli_output_width();

	tw_mail_init();
	TwInputs in;
	TwInputMessage msg;
	GString *out = g_string_new(NULL);
	if (format == FORMAT_TABLE && !dump_view) {
		tw_cli_output_table_header(out, width);
		fwrite(out->str, 1, out->len, stdout);
	}
	Progress progress;
	progress_init(&progress);
	tw_cli_inputs_init(&in, argv + 1, config->limits.message_size);
	while (tw_cli_inputs_next(&in, &msg)) {
		progress_step(&progress, msg.len);
		g_autoptr(TwView) view =
			tw_mail_view_new(msg.data, msg.len, &config->limits);
		g_string_truncate(out, 0);
		if (dump_view) {
			g_string_append(out, "== ");
			tw_util_escape_append(out, msg.label, -1);
			g_string_append_c(out, '\n');
			tw_mail_view_dump(view, out);
			g_string_append_c(out, '\n');
		} else {
			g_autoptr(TwVerdict) v =
				tw_rules_eval(rules, view, &options);
			TwMessageInfo info;
			message_info(view, &msg, &info);
			if (format == FORMAT_JSON) {
				tw_verdict_json(v, &info, explain, out);
				g_string_append_c(out, '\n');
			} else {
				print_table_row(out, width, v, &info, explain);
			}
		}
		fwrite(out->str, 1, out->len, stdout);
	}
	progress_done(&progress);
	g_string_free(out, TRUE);
	int status = in.status;
	tw_cli_inputs_deinit(&in);
	tw_mail_shutdown();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tw_error("standard output: write failed");
		return EX_IOERR;
	}
	return status;
}
