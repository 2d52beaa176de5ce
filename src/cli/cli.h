/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: options and wiring shared by the subcommands (internal to src/cli). */
#ifndef TROWATCH_CLI_H
#define TROWATCH_CLI_H

#include <glib.h>

#include "trowatch/engine.h"
#include "trowatch/rules.h"

/* The options every command takes, before or after the command name. */
typedef struct {
	char *config_path; /* --config, else NULL */
	char *rules_path;  /* --rules, else NULL */
	int verbosity;	   /* -v adds one, -q sets -1 */
	gboolean use_syslog;
	/* where a command's own option parser puts --config and --rules
	 * (GOption would overwrite the global ones without freeing them) */
	char *cmd_config_path;
	char *cmd_rules_path;
} TwCli;

/*
 * A command: parses its own arguments (argv[0] is the command name, e.g.
 * "scan") and returns the process exit status.
 */
int tw_cli_scan(TwCli *cli, int argc, char **argv);
int tw_cli_config(TwCli *cli, int argc, char **argv);
int tw_cli_rules(TwCli *cli, int argc, char **argv);

/*
 * An option context for a command, with the global options added.
 * @parameter is the synopsis after the command ("[OPTION...] PATH..."),
 * @summary one paragraph.  The entries may be NULL.
 */
GOptionContext *tw_cli_context_new(TwCli *cli, const char *command,
				   const char *parameter, const char *summary,
				   const GOptionEntry *entries);

/*
 * Parse with @context; on a usage error prints one line on stderr and
 * returns FALSE (the command then exits 64).  Applies -v/-q/--syslog.
 */
gboolean tw_cli_parse(TwCli *cli, GOptionContext *context, int *argc,
		      char ***argv);

/* Print "trowatch: MESSAGE" and return EX_USAGE. */
int tw_cli_usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Print the error (each line as "trowatch: line") and return its exit status. */
int tw_cli_report(const GError *error);

/*
 * The rules used when neither --rules, $TROWATCH_RULES nor the configuration
 * names any: the source tree's rules/ when this program runs from its build
 * directory, else the installed $pkgdatadir/rules.
 */
char *tw_cli_default_rules(void);

/*
 * The configuration for this run (--config, $TROWATCH_CONFIG, the search
 * path).  When no file is found: NULL with an error if @required, else the
 * defaults.  --rules / $TROWATCH_RULES replace [general] rules.
 */
TwConfig *tw_cli_load_config(TwCli *cli, gboolean required, GError **error);

#endif

/*
 * The rule set of @config (or of @paths when not NULL).  Errors, and with
 * @warnings the warnings too, are printed on stderr as "file:line:col:
 * message".  NULL with a TW_ERROR_DATA error when the rules have errors.
 */
TwRuleSet *tw_cli_load_rules(const TwConfig *config, char **paths,
			     gboolean warnings, guint *warnings_r,
			     GError **error);

/* The options a rule set is evaluated with under @config. */
void tw_cli_eval_options(const TwConfig *config, gboolean explain,
			 TwEvalOptions *options_r);

/* output.c: the width of a table: the terminal's, else 100 columns. */
guint tw_cli_output_width(void);
/* @text escaped and cut to @width terminal cells ("…" when cut), padded
 * with spaces to @width when @pad. */
void tw_cli_output_cell(GString *out, const char *text, guint width,
			gboolean pad);
void tw_cli_output_table_header(GString *out, guint width);
void tw_cli_output_row(GString *out, guint width, const char *severity,
		       const char *score, const char *case_key,
		       const char *from, const char *subject);
/* The rules that fired with score, target and match, then the facts. */
void tw_cli_output_explain(GString *out, const TwVerdict *verdict, guint width);

/*
 * input.c: the messages named by scan's arguments.  Directories are walked
 * in name order (hidden entries skipped; in a Maildir only cur/ and new/,
 * and its Maildir++ folders); a file whose first line starts with "From "
 * is an mbox; "-" is one message on stdin.
 */
typedef struct {
	const char *label; /* path, "FILE:N" for an mbox message, or "-" */
	const char *path;  /* the file, or NULL for stdin */
	const char *data;  /* the message, at most limit + 1 bytes */
	gsize len;
} TwInputMessage;

typedef struct {
	GPtrArray *files; /* char*: regular files and "-", in order */
	GArray *walked;	  /* gboolean per file: found in a directory walk */
	guint next_file;
	guint64 limit; /* message-size: bytes kept per message, plus one */
	GMappedFile *map;
	GBytes *stdin_bytes;
	GArray *offsets; /* gsize pairs (start, end) of the current file */
	guint next_message;
	char *label;
	int status; /* EX_OK, or the worst of EX_DATAERR / EX_NOINPUT */
} TwInputs;

void tw_cli_inputs_init(TwInputs *in, char **paths, guint64 message_size);
/* The next message, valid until the next call; FALSE at the end.  Inputs
 * that cannot be opened or are not mail are reported on stderr, skipped,
 * and set in->status; a file met in a directory walk that is not mail (a
 * README beside the messages) is skipped with a warning only. */
gboolean tw_cli_inputs_next(TwInputs *in, TwInputMessage *msg_r);
void tw_cli_inputs_deinit(TwInputs *in);
