/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trowatch scan: read mail from files, directories, Maildirs, mbox, stdin. */
#include "config.h"

#include <stdio.h>
#include <sysexits.h>

#include "cli.h"
#include "trowatch/mail.h"
#include "trowatch/util.h"

int
tw_cli_scan(TwCli *cli, int argc, char **argv)
{
	gboolean dump_view = FALSE;
	const GOptionEntry entries[] = {
		{"dump-view", 0, 0, G_OPTION_ARG_NONE, &dump_view,
		 "print what trowatch reads in each message", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) context = tw_cli_context_new(
		cli, "scan", "--dump-view PATH...",
		"Read each message in PATH: a file, a directory (walked, hidden\n"
		"entries skipped), a Maildir (cur/ and new/), an mbox file, or -\n"
		"for standard input.\n"
		"\n"
		"Classification arrives with the rule engine; for now scan shows\n"
		"the message view, the decoded form rules will match, and needs\n"
		"--dump-view.\n"
		"\n"
		"Exit status: 0 all read; 65 some input was not mail; 66 some\n"
		"input could not be opened; 78 bad configuration.",
		entries);

	if (!tw_cli_parse(cli, context, &argc, &argv))
		return EX_USAGE;
	if (!dump_view)
		return tw_cli_usage_error(
			"scan needs --dump-view until the rule engine exists "
			"(see 'trowatch scan --help')");
	if (argc < 2)
		return tw_cli_usage_error(
			"scan needs a PATH, or - for standard input (see "
			"'trowatch scan --help')");

	g_autoptr(GError) error = NULL;
	g_autoptr(TwConfig) config = tw_cli_load_config(cli, FALSE, &error);
	if (config == NULL)
		return tw_cli_report(error);

	tw_mail_init();
	TwInputs in;
	TwInputMessage msg;
	GString *out = g_string_new(NULL);
	tw_cli_inputs_init(&in, argv + 1, config->limits.message_size);
	while (tw_cli_inputs_next(&in, &msg)) {
		g_autoptr(TwView) view =
			tw_mail_view_new(msg.data, msg.len, &config->limits);
		g_string_truncate(out, 0);
		g_string_append(out, "== ");
		tw_util_escape_append(out, msg.label, -1);
		g_string_append_c(out, '\n');
		tw_mail_view_dump(view, out);
		g_string_append_c(out, '\n');
		fwrite(out->str, 1, out->len, stdout);
	}
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
