/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trowatch config check|dump: validate the configuration, or print it whole. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "trowatch/util.h"

static const char description[] =
	"Subcommands:\n"
	"  check   read the configuration file (--config, $TROWATCH_CONFIG,\n"
	"          $XDG_CONFIG_HOME/trowatch/trowatch.conf, then the system one),\n"
	"          report every error as FILE:LINE: message and exit 78 if there\n"
	"          is any, else print one line saying it is ok; a missing file is\n"
	"          an error\n"
	"  dump    print the configuration with every key, defaults filled in, in\n"
	"          the file's own syntax, so that the output loads again to the\n"
	"          same configuration; without a configuration file it prints the\n"
	"          defaults; exits 78 if the file has errors\n"
	"\n"
	"See trowatch.conf(5) for the sections and keys.";

static int
check(TwCli *cli)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TwConfig) config = tw_cli_load_config(cli, TRUE, &error);

	if (config == NULL)
		return tw_cli_report(error);
	printf("%s: configuration ok (%u account%s)\n", config->file,
	       config->accounts->len, config->accounts->len == 1 ? "" : "s");
	return EX_OK;
}

static int
dump(TwCli *cli)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TwConfig) config = tw_cli_load_config(cli, FALSE, &error);

	if (config == NULL)
		return tw_cli_report(error);
	g_autoptr(GString) out = g_string_new(NULL);
	tw_engine_config_dump(config, out);
	fwrite(out->str, 1, out->len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tw_error("cannot write the configuration: %s",
			 g_strerror(errno));
		return EX_IOERR;
	}
	return EX_OK;
}

int
tw_cli_config(TwCli *cli, int argc, char **argv)
{
	g_autoptr(GOptionContext) context = tw_cli_context_new(
		cli, "config", "check|dump",
		"Check the configuration, or print it with every default.",
		NULL);

	g_option_context_set_description(context, description);
	if (!tw_cli_parse(cli, context, &argc, &argv))
		return EX_USAGE;
	if (argc < 2)
		return tw_cli_usage_error(
			"config: missing subcommand: check or dump (see 'trowatch config --help')");
	if (argc > 2)
		return tw_cli_usage_error(
			"config: unexpected argument '%s' (see 'trowatch config --help')",
			argv[2]);
	if (strcmp(argv[1], "check") == 0)
		return check(cli);
	if (strcmp(argv[1], "dump") == 0)
		return dump(cli);
	return tw_cli_usage_error(
		"config: unknown subcommand '%s': expected check or dump (see 'trowatch config --help')",
		argv[1]);
}
