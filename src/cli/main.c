/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main(): global options and the dispatch to one subcommand. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "trowatch/util.h"

typedef struct {
	const char *name;
	int (*run)(TwCli *cli, int argc, char **argv);
	const char *summary;
} Command;

/* A command is listed here once it works, not before. */
static const Command commands[] = {
	{"scan", tw_cli_scan,
	 "classify mail in files, directories, Maildirs, mbox files or stdin"},
	{"rules", tw_cli_rules,
	 "check rule files, or test them on labelled mail"},
	{"config", tw_cli_config,
	 "check the configuration, or print it with every default"},
};

static gboolean
opt_verbose(const char *name, const char *value, gpointer data, GError **error)
{
	TwCli *cli = data;
	cli->verbosity = cli->verbosity < 0 ? 1 : cli->verbosity + 1;
	return TRUE;
}

static gboolean
opt_quiet(const char *name, const char *value, gpointer data, GError **error)
{
	TwCli *cli = data;
	cli->verbosity = -1;
	return TRUE;
}

static GOptionGroup *
global_group(TwCli *cli)
{
	const GOptionEntry entries[] = {
		{"config", 0, 0, G_OPTION_ARG_FILENAME, &cli->cmd_config_path,
		 "read the configuration from FILE (also $TROWATCH_CONFIG)",
		 "FILE"},
		{"rules", 0, 0, G_OPTION_ARG_FILENAME, &cli->cmd_rules_path,
		 "use the rule files or directories in PATH (also $TROWATCH_RULES)",
		 "PATH"},
		{"verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
		 (gpointer)opt_verbose, "say more (twice for debugging)", NULL},
		{"quiet", 'q', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
		 (gpointer)opt_quiet, "report errors only", NULL},
		{"syslog", 0, 0, G_OPTION_ARG_NONE, &cli->use_syslog,
		 "log to syslog (facility mail) instead of stderr", NULL},
		{NULL},
	};
	GOptionGroup *group = g_option_group_new(
		"global", "Options every command takes:",
		"Show the options every command takes", cli, NULL);
	g_option_group_add_entries(group, entries);
	return group;
}

GOptionContext *
tw_cli_context_new(TwCli *cli, const char *command, const char *parameter,
		   const char *summary, const GOptionEntry *entries)
{
	g_autofree char *synopsis =
		g_strdup_printf("%s %s", command, parameter ? parameter : "");
	GOptionContext *context = g_option_context_new(synopsis);
	g_option_context_set_summary(context, summary);
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, NULL);
	GOptionGroup *group = global_group(cli);
	/* show the global options in the command's own --help */
	g_option_context_add_group(context, group);
	g_option_context_set_help_enabled(context, TRUE);
	return context;
}

gboolean
tw_cli_parse(TwCli *cli, GOptionContext *context, int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;

	if (!g_option_context_parse(context, argc, argv, &error)) {
		/* GLib's messages start with a capital: ours do not */
		g_autofree char *msg = g_strdup(error->message);
		msg[0] = g_ascii_tolower(msg[0]);
		tw_cli_usage_error("%s (see 'trowatch %s --help')", msg,
				   (*argv)[0]);
		return FALSE;
	}
	/* "--" ends the options (GLib leaves it): what follows is a path
	 * even if it starts with '-' */
	for (int k = 1; k < *argc; k++) {
		if (strcmp((*argv)[k], "--") != 0)
			continue;
		/* argv is main()'s: not ours to free */
		memmove(*argv + k, *argv + k + 1,
			(gsize)(*argc - k) * sizeof(char *));
		(*argc)--;
		break;
	}
	if (cli->cmd_config_path != NULL) {
		g_free(cli->config_path);
		cli->config_path = g_steal_pointer(&cli->cmd_config_path);
	}
	if (cli->cmd_rules_path != NULL) {
		g_free(cli->rules_path);
		cli->rules_path = g_steal_pointer(&cli->cmd_rules_path);
	}
	tw_util_log_init(cli->verbosity, cli->use_syslog);
	return TRUE;
}

int
tw_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "trowatch: %s\n", msg);
	return EX_USAGE;
}

int
tw_cli_report(const GError *error)
{
	g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l)
			tw_error("%s", *l);
	return tw_util_exit_code(error);
}

char *
tw_cli_default_rules(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe != NULL) {
		g_autofree char *dir = g_path_get_dirname(exe);
		/* run from the build tree before `make install` */
		if (strcmp(dir, TW_ABS_BUILDDIR) == 0) {
			/* abs_top_srcdir is "BUILD/../.." in a VPATH build */
			g_autofree char *rules =
				g_build_filename(TW_ABS_SRCDIR, "rules", NULL);
			return g_canonicalize_filename(rules, NULL);
		}
	}
	return g_build_filename(TW_PKGDATADIR, "rules", NULL);
}

TwConfig *
tw_cli_load_config(TwCli *cli, gboolean required, GError **error)
{
	g_autofree char *path =
		tw_engine_config_find(cli->config_path, TW_SYSCONFDIR);
	if (path == NULL && required) {
		g_autofree char *xdg =
			g_build_filename(g_get_user_config_dir(), "trowatch",
					 "trowatch.conf", NULL);
		g_set_error(
			error, TW_ERROR, TW_ERROR_CONFIG,
			"no configuration file: none given with --config or "
			"$TROWATCH_CONFIG, and neither %s nor %s/trowatch/trowatch.conf exists",
			xdg, TW_SYSCONFDIR);
		return NULL;
	}
	g_autofree char *default_rules = tw_cli_default_rules();
	TwConfig *config = tw_engine_config_load(path, default_rules, error);
	if (config == NULL)
		return NULL;

	const char *rules = cli->rules_path;
	if (rules == NULL || *rules == '\0')
		rules = g_getenv("TROWATCH_RULES");
	if (rules != NULL && *rules != '\0') {
		g_strfreev(config->rules);
		config->rules = g_strsplit(rules, ";", -1);
	}
	return config;
}

TwRuleSet *
tw_cli_load_rules(const TwConfig *config, char **paths, gboolean warnings,
		  guint *warnings_r, GError **error)
{
	g_autoptr(GPtrArray) diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)tw_diag_free);
	TwRuleSet *set = tw_rules_load(paths ? paths : config->rules,
				       &config->limits, diags, error);
	guint count = 0;
	for (guint i = 0; i < diags->len; i++) {
		const TwDiag *d = g_ptr_array_index(diags, i);
		if (d->level == TW_DIAG_WARNING) {
			count++;
			if (!warnings)
				continue;
		}
		g_autofree char *line = tw_diag_format(d);
		fprintf(stderr, "%s\n", line);
	}
	if (warnings_r != NULL)
		*warnings_r = count;
	return set;
}

void
tw_cli_eval_options(const TwConfig *config, gboolean explain,
		    TwEvalOptions *options_r)
{
	*options_r = (TwEvalOptions){
		.identity = config->identity_names,
		.authserv_id = config->authserv_id,
		.explain = explain,
	};
}

static void
print_help(FILE *out)
{
	fprintf(out,
		"Usage: trowatch [OPTION...] COMMAND [ARG...]\n"
		"\n"
		"Triage mail for Schedule A lawsuits, TROs, frozen funds and IP complaints.\n"
		"\n"
		"Commands:\n");
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  --config FILE   read the configuration from FILE (also $TROWATCH_CONFIG)\n"
		"  --rules PATH    use the rule files or directories in PATH (also $TROWATCH_RULES)\n"
		"  -v, --verbose   say more (twice for debugging)\n"
		"  -q, --quiet     report errors only\n"
		"  --syslog        log to syslog (facility mail) instead of stderr\n"
		"  -h, --help      show this help; 'trowatch COMMAND --help' for a command\n"
		"  --version       show the version\n"
		"\n"
		"Exit status follows <sysexits.h>: 64 usage, 65 bad data, 66 cannot open input,\n"
		"78 bad configuration.  See trowatch(1), trowatch.conf(5) and\n"
		"trowatch-rules(5).\n");
}

/* Consume one global option at argv[*i]; FALSE if it is not one. */
static gboolean
take_global(TwCli *cli, int argc, char **argv, int *i, int *status)
{
	const char *arg = argv[*i];
	char **slot = NULL;
	const char *name = NULL;

	if (g_str_has_prefix(arg, "--config"))
		slot = &cli->config_path, name = "--config";
	else if (g_str_has_prefix(arg, "--rules"))
		slot = &cli->rules_path, name = "--rules";
	if (slot != NULL) {
		const char *rest = arg + strlen(name);
		if (*rest == '=') {
			g_free(*slot);
			*slot = g_strdup(rest + 1);
			return TRUE;
		}
		if (*rest != '\0')
			return FALSE;
		if (*i + 1 >= argc) {
			*status = tw_cli_usage_error("option %s needs a value",
						     name);
			return TRUE;
		}
		g_free(*slot);
		*slot = g_strdup(argv[++*i]);
		return TRUE;
	}
	if (strcmp(arg, "--verbose") == 0 ||
	    (arg[1] == 'v' && strspn(arg + 1, "v") == strlen(arg + 1)))
		/* -v, -vv, -vvv: each v once more verbose */
		cli->verbosity =
			(cli->verbosity < 0 ? 0 : cli->verbosity) +
			(int)(strcmp(arg, "--verbose") == 0 ? 1
							    : strlen(arg + 1));
	else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0)
		cli->verbosity = -1;
	else if (strcmp(arg, "--syslog") == 0)
		cli->use_syslog = TRUE;
	else
		return FALSE;
	return TRUE;
}

int
main(int argc, char **argv)
{
	TwCli cli = {0};
	int status = -1;
	int i;

	setlocale(LC_ALL, "");
	g_set_prgname("trowatch");
	for (i = 1; i < argc && argv[i][0] == '-' && status < 0; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("trowatch %s\n", PACKAGE_VERSION);
			status = EX_OK;
		} else if (strcmp(argv[i], "--help") == 0 ||
			   strcmp(argv[i], "-h") == 0) {
			print_help(stdout);
			status = EX_OK;
		} else if (strcmp(argv[i], "-") == 0 ||
			   !take_global(&cli, argc, argv, &i, &status)) {
			status = tw_cli_usage_error(
				"unknown option '%s' (see 'trowatch --help')",
				argv[i]);
		}
	}
	if (status < 0 && i >= argc)
		status = tw_cli_usage_error(
			"no command given (see 'trowatch --help')");
	if (status < 0 && strcmp(argv[i], "help") == 0) {
		print_help(stdout);
		status = EX_OK;
	}
	if (status < 0) {
		const Command *cmd = NULL;
		for (guint c = 0; c < G_N_ELEMENTS(commands); c++)
			if (strcmp(argv[i], commands[c].name) == 0)
				cmd = &commands[c];
		if (cmd == NULL) {
			status = tw_cli_usage_error(
				"unknown command '%s' (see 'trowatch --help')",
				argv[i]);
		} else {
			tw_util_log_init(cli.verbosity, cli.use_syslog);
			status = cmd->run(&cli, argc - i, argv + i);
		}
	}
	g_free(cli.config_path);
	g_free(cli.rules_path);
	g_free(cli.cmd_config_path);
	g_free(cli.cmd_rules_path);
	return status;
}
