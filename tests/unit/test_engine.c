/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of src/engine: configuration loading, checks, dump; actions. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "trowatch/engine.h"
#include "trowatch/util.h"

/* A valid account, for tests that are about something else. */
#define ACCOUNT                                                                \
	"[account shop1]\n"                                                    \
	"host = imap.example.com\n"                                            \
	"user = seller@example.com\n"                                          \
	"password-command = pass show shop1\n"

typedef struct {
	char *dir;   /* a fresh temporary directory */
	char *rules; /* an existing rules directory in it: the default */
	char *conf;  /* dir/trowatch.conf, written by load() */
} Fixture;

static void
rm_rf(const char *path)
{
	GDir *dir = g_dir_open(path, 0, NULL);

	if (dir != NULL) {
		const char *name;
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree char *child =
				g_build_filename(path, name, NULL);
			rm_rf(child);
		}
		g_dir_close(dir);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

static int
setup(void **state)
{
	Fixture *f = g_new0(Fixture, 1);

	f->dir = g_dir_make_tmp("tw-engine-XXXXXX", NULL);
	if (f->dir == NULL)
		return -1;
	f->rules = g_build_filename(f->dir, "rules", NULL);
	f->conf = g_build_filename(f->dir, "trowatch.conf", NULL);
	g_mkdir(f->rules, 0700);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *f = *state;

	rm_rf(f->dir);
	g_free(f->dir);
	g_free(f->rules);
	g_free(f->conf);
	g_free(f);
	return 0;
}

/* Write @text to @name in the fixture directory; returns the path. */
static char *
write_file(const Fixture *f, const char *name, const char *text, int mode)
{
	char *path = g_build_filename(f->dir, name, NULL);

	assert_true(g_file_set_contents(path, text, -1, NULL));
	assert_int_equal(g_chmod(path, mode), 0);
	return path;
}

static TwConfig *
load(const Fixture *f, const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = write_file(f, "trowatch.conf", text, 0644);
	TwConfig *c = tw_engine_config_load(path, f->rules, &error);

	if (c == NULL)
		fail_msg("configuration did not load:\n%s", error->message);
	return c;
}

/* The error message of a configuration that must not load. */
static char *
load_error(const Fixture *f, const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = write_file(f, "trowatch.conf", text, 0644);
	TwConfig *c = tw_engine_config_load(path, f->rules, &error);

	if (c != NULL) {
		tw_engine_config_free(c);
		fail_msg("configuration loaded but should not:\n%s", text);
	}
	assert_non_null(error);
	assert_true(g_error_matches(error, TW_ERROR, TW_ERROR_CONFIG));
	return g_strdup(error->message);
}

static gboolean
has_line(const char *message, const char *want)
{
	g_auto(GStrv) lines = g_strsplit(message, "\n", -1);

	return g_strv_contains((const char *const *)lines, want);
}

static void assert_error_line(const Fixture *f, const char *message, guint line,
			      const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* @message has the line "CONF:LINE: text". */
static void
assert_error_line(const Fixture *f, const char *message, guint line,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_autofree char *want =
		g_strdup_printf("%s:%u: %s", f->conf, line, text);
	if (!has_line(message, want))
		fail_msg("missing error line\nwant: %s\ngot:\n%s", want,
			 message);
}

/* @text fails to load with exactly this one error. */
static void
expect_error(const Fixture *f, const char *text, guint line, const char *msg)
{
	g_autofree char *message = load_error(f, text);
	g_autofree char *want =
		g_strdup_printf("%s:%u: %s", f->conf, line, msg);

	if (strcmp(message, want) != 0)
		fail_msg("wrong error\nwant: %s\ngot:  %s\nfor:\n%s", want,
			 message, text);
}

static char *
actions_text(const GPtrArray *actions)
{
	return tw_engine_actions_format(actions);
}

static void
assert_actions(const GPtrArray *actions, const char *want)
{
	g_autofree char *got = actions_text(actions);

	assert_string_equal(got, want);
}

static void
assert_strv(char *const *got, const char *want)
{
	g_autofree char *joined = g_strjoinv("|", (char **)got);

	assert_string_equal(joined, want);
}

/* ---- defaults --------------------------------------------------------- */

static char *
user_state_dir(void)
{
	return g_strdup(g_get_user_state_dir());
}

static void
assert_default_globals(const Fixture *f, const TwConfig *c)
{
	g_autofree char *state = user_state_dir();
	g_autofree char *store =
		g_build_filename(state, "trowatch", "trowatch.db", NULL);
	g_autofree char *archive =
		g_build_filename(state, "trowatch", "archive", NULL);
	TwLimits lim;

	assert_strv(c->rules, f->rules);
	assert_string_equal(c->store, store);
	assert_string_equal(c->archive, archive);
	assert_string_equal(c->language, "en");
	assert_null(c->timezone);
	assert_null(c->authserv_id);
	assert_int_equal(c->accounts->len, 0);
	assert_actions(c->actions.actions[TW_SEVERITY_CRITICAL],
		       "keyword:$TroCritical;copy:TRO/Critical;archive;alert");
	assert_actions(c->actions.actions[TW_SEVERITY_HIGH],
		       "keyword:$TroHigh;copy:TRO/High;archive");
	assert_actions(c->actions.actions[TW_SEVERITY_MEDIUM],
		       "keyword:$TroMedium");
	assert_actions(c->actions.actions[TW_SEVERITY_LOW], "keyword:$TroLow");
	assert_int_equal(c->actions.actions[TW_SEVERITY_NONE]->len, 0);
	assert_null(c->identity_names[0]);
	assert_null(c->digest_to[0]);
	assert_null(c->digest_from);
	assert_string_equal(c->digest_deliver, "file:-");
	assert_null(c->smtp_user);
	assert_null(c->smtp_password_command);
	assert_null(c->alert_to[0]);
	assert_null(c->alert_command);
	assert_int_equal(c->stale_after, 6 * 3600);
	tw_limits_init(&lim);
	assert_memory_equal(&c->limits, &lim, sizeof(lim));
}

static void
test_defaults_without_file(void **state)
{
	Fixture *f = *state;
	g_autoptr(GError) error = NULL;
	g_autoptr(TwConfig) c = tw_engine_config_load(NULL, f->rules, &error);

	assert_non_null(c);
	assert_null(error);
	assert_null(c->file);
	assert_default_globals(f, c);
}

static void
test_defaults_empty_file(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c = load(f, "# nothing set\n\n");

	assert_string_equal(c->file, f->conf);
	assert_default_globals(f, c);
}

static void
test_account_defaults(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c = load(f, ACCOUNT);
	const TwAccount *a;

	assert_int_equal(c->accounts->len, 1);
	a = c->accounts->pdata[0];
	assert_string_equal(a->name, "shop1");
	assert_string_equal(a->host, "imap.example.com");
	assert_int_equal(a->port, 993);
	assert_int_equal(a->security, TW_SECURITY_TLS);
	assert_null(a->tls_ca_file);
	assert_null(a->tls_fingerprint);
	assert_string_equal(a->user, "seller@example.com");
	assert_string_equal(a->password_command, "pass show shop1");
	assert_null(a->password_file);
	assert_int_equal(a->auth, TW_AUTH_LOGIN);
	assert_strv(a->folders, "INBOX|\\Junk");
	assert_true(a->idle);
	assert_int_equal(a->interval, 300);
	assert_int_equal(a->backfill, TW_BACKFILL_DURATION);
	assert_int_equal(a->backfill_seconds, 90 * 86400);
	assert_int_equal(a->timeout, 60);
	for (int i = 0; i < TW_SEVERITY_COUNT; i++) {
		g_autofree char *want = actions_text(c->actions.actions[i]);
		assert_actions(a->actions.actions[i], want);
	}
	assert_null(a->identity[0]);
	assert_null(a->digest_to[0]);
	assert_null(a->alert_to[0]);
}

static void
test_account_port_follows_security(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c = load(f, "[account a]\n"
					"host = imap.example.com\n"
					"security = starttls\n"
					"user = u\n"
					"password-command = p\n"
					"[account b]\n"
					"host = localhost\n"
					"security = none\n"
					"user = u\n"
					"password-command = p\n"
					"[account c]\n"
					"host = imap.example.com\n"
					"port = 1993\n"
					"user = u\n"
					"password-command = p\n");
	const TwAccount *a = c->accounts->pdata[0];
	const TwAccount *b = c->accounts->pdata[1];
	const TwAccount *cc = c->accounts->pdata[2];

	assert_int_equal(c->accounts->len, 3);
	assert_string_equal(a->name, "a");
	assert_int_equal(a->security, TW_SECURITY_STARTTLS);
	assert_int_equal(a->port, 143);
	assert_string_equal(b->name, "b");
	assert_int_equal(b->security, TW_SECURITY_NONE);
	assert_int_equal(b->port, 143);
	assert_string_equal(cc->name, "c");
	assert_int_equal(cc->security, TW_SECURITY_TLS);
	assert_int_equal(cc->port, 1993);
}

/* product.md's own example, which must keep loading. */
static void
test_product_example(void **state)
{
	Fixture *f = *state;

	if (!g_file_test("/usr/share/zoneinfo/Asia/Shanghai",
			 G_FILE_TEST_EXISTS))
		skip();
	g_autofree char *text = g_strdup_printf(
		"[general]\n"
		"# shipped rules first, local adjustments after them\n"
		"rules = %s;%s\n"
		"timezone = Asia/Shanghai\n"
		"language = zh\n"
		"\n"
		"[identity]\n"
		"names = Acme Home Store;艾克米家居;A1B2C3D4E5F6G7\n"
		"\n" ACCOUNT "\n"
		"[digest]\n"
		"to = ops@example.com\n"
		"from = trowatch@example.com\n"
		"deliver = smtp://localhost:25\n",
		f->rules, f->dir);
	g_autoptr(TwConfig) c = load(f, text);
	g_autofree char *rules = g_strdup_printf("%s|%s", f->rules, f->dir);
	const TwAccount *a = c->accounts->pdata[0];

	assert_strv(c->rules, rules);
	assert_string_equal(c->timezone, "Asia/Shanghai");
	assert_string_equal(c->language, "zh");
	assert_strv(c->identity_names,
		    "Acme Home Store|艾克米家居|A1B2C3D4E5F6G7");
	assert_strv(c->digest_to, "ops@example.com");
	assert_string_equal(c->digest_from, "trowatch@example.com");
	assert_string_equal(c->digest_deliver, "smtp://localhost:25");
	/* alert to follows digest to */
	assert_strv(c->alert_to, "ops@example.com");
	assert_strv(a->identity, "Acme Home Store|艾克米家居|A1B2C3D4E5F6G7");
	assert_strv(a->digest_to, "ops@example.com");
	assert_strv(a->alert_to, "ops@example.com");
}

/* Every key of [account NAME] given a value that is not its default. */
static void
test_account_values(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c =
		load(f, "[account x]\n"
			"host = imap.example.com\n"
			"port = 10993\n"
			"security = starttls\n"
			"user = u@example.com\n"
			"password-command = oauth2-token u\n"
			"auth = xoauth2\n"
			"folders =  INBOX ; Archive/2025 ;垃圾邮件;\n"
			"idle = false\n"
			"interval = 5m\n"
			"backfill = 7d\n"
			"timeout = 90\n"
			"[account y]\n"
			"host = ::1\n"
			"security = none\n"
			"user = u\n"
			"password-command = p\n"
			"auth = plain\n"
			"idle = no\n"
			"backfill = all\n"
			"[account z]\n"
			"host = 127.0.0.2\n"
			"security = none\n"
			"user = u\n"
			"password-command = p\n"
			"idle = yes\n"
			"backfill = none\n");
	const TwAccount *x = c->accounts->pdata[0];
	const TwAccount *y = c->accounts->pdata[1];
	const TwAccount *z = c->accounts->pdata[2];

	assert_int_equal(x->port, 10993);
	assert_int_equal(x->security, TW_SECURITY_STARTTLS);
	assert_int_equal(x->auth, TW_AUTH_XOAUTH2);
	assert_strv(x->folders, "INBOX|Archive/2025|垃圾邮件");
	assert_false(x->idle);
	assert_int_equal(x->interval, 300);
	assert_int_equal(x->backfill, TW_BACKFILL_DURATION);
	assert_int_equal(x->backfill_seconds, 7 * 86400);
	assert_int_equal(x->timeout, 90);
	assert_int_equal(y->auth, TW_AUTH_PLAIN);
	assert_false(y->idle);
	assert_int_equal(y->backfill, TW_BACKFILL_ALL);
	assert_true(z->idle);
	assert_int_equal(z->backfill, TW_BACKFILL_NONE);
}

static void
test_general_values(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c =
		load(f, "[general]\n"
			"store = /var/lib/trowatch/t.db\n"
			"timezone = +08:00\n"
			"authserv-id = mx.example.com\n"
			"[alert]\n"
			"to = oncall@example.com ; boss@example.com\n"
			"command = /usr/local/bin/page --json\n"
			"stale-after = 2h\n"
			"[digest]\n"
			"to = ops@example.com\n"
			"smtp-user = trowatch\n"
			"smtp-password-command = pass smtp\n");

	assert_string_equal(c->store, "/var/lib/trowatch/t.db");
	/* the archive follows a configured store */
	assert_string_equal(c->archive, "/var/lib/trowatch/archive");
	assert_string_equal(c->timezone, "+08:00");
	assert_string_equal(c->authserv_id, "mx.example.com");
	assert_strv(c->alert_to, "oncall@example.com|boss@example.com");
	assert_string_equal(c->alert_command, "/usr/local/bin/page --json");
	assert_int_equal(c->stale_after, 7200);
	assert_strv(c->digest_to, "ops@example.com");
	assert_string_equal(c->smtp_user, "trowatch");
	assert_string_equal(c->smtp_password_command, "pass smtp");
}

/* Per-account actions and recipients default to the global ones, key by key. */
static void
test_account_inheritance(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c =
		load(f, "[actions]\n"
			"high = keyword:$Ip;move:IP\n"
			"low =\n"
			"[identity]\n"
			"names = Acme;ACME-US\n"
			"[digest]\n"
			"to = ops@example.com\n"
			"[account own]\n"
			"host = imap.example.com\n"
			"user = u\n"
			"password-command = p\n"
			"critical = keyword:$Legal;copy:Legal;alert\n"
			"identity = Own Brand\n"
			"digest-to = client@example.com\n"
			"[account inherit]\n"
			"host = imap.example.com\n"
			"user = u\n"
			"password-command = p\n"
			"[account alert]\n"
			"host = imap.example.com\n"
			"user = u\n"
			"password-command = p\n"
			"digest-to = c2@example.com\n"
			"alert-to = pager@example.com\n");
	const TwAccount *own = c->accounts->pdata[0];
	const TwAccount *inherit = c->accounts->pdata[1];
	const TwAccount *alert = c->accounts->pdata[2];

	assert_actions(c->actions.actions[TW_SEVERITY_HIGH],
		       "keyword:$Ip;move:IP");
	assert_int_equal(c->actions.actions[TW_SEVERITY_LOW]->len, 0);

	assert_actions(own->actions.actions[TW_SEVERITY_CRITICAL],
		       "keyword:$Legal;copy:Legal;alert");
	assert_actions(own->actions.actions[TW_SEVERITY_HIGH],
		       "keyword:$Ip;move:IP");
	assert_actions(own->actions.actions[TW_SEVERITY_MEDIUM],
		       "keyword:$TroMedium");
	assert_int_equal(own->actions.actions[TW_SEVERITY_LOW]->len, 0);
	assert_strv(own->identity, "Own Brand");
	assert_strv(own->digest_to, "client@example.com");
	/* no [alert] to: alerts go where this account's digest goes */
	assert_strv(own->alert_to, "client@example.com");

	assert_actions(inherit->actions.actions[TW_SEVERITY_CRITICAL],
		       "keyword:$TroCritical;copy:TRO/Critical;archive;alert");
	assert_actions(inherit->actions.actions[TW_SEVERITY_HIGH],
		       "keyword:$Ip;move:IP");
	assert_strv(inherit->identity, "Acme|ACME-US");
	assert_strv(inherit->digest_to, "ops@example.com");
	assert_strv(inherit->alert_to, "ops@example.com");

	assert_strv(alert->digest_to, "c2@example.com");
	assert_strv(alert->alert_to, "pager@example.com");
	assert_strv(c->alert_to, "ops@example.com");
}

/* An explicit [alert] to wins over an account's digest-to. */
static void
test_alert_to_explicit(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c = load(f, "[digest]\n"
					"to = ops@example.com\n"
					"[alert]\n"
					"to = oncall@example.com\n" ACCOUNT
					"digest-to = client@example.com\n");
	const TwAccount *a = c->accounts->pdata[0];

	assert_strv(c->alert_to, "oncall@example.com");
	assert_strv(a->digest_to, "client@example.com");
	assert_strv(a->alert_to, "oncall@example.com");
}

static void
test_relative_paths(void **state)
{
	Fixture *f = *state;
	g_autofree char *sub = g_build_filename(f->dir, "etc", NULL);
	g_autofree char *subrules = g_build_filename(sub, "rules.d", NULL);
	g_autofree char *pw = g_build_filename(sub, "pw", NULL);
	g_autofree char *ca = g_build_filename(sub, "ca.pem", NULL);
	g_autofree char *path = g_build_filename(sub, "t.conf", NULL);
	g_autoptr(GError) error = NULL;

	assert_int_equal(g_mkdir(sub, 0700), 0);
	assert_int_equal(g_mkdir(subrules, 0700), 0);
	assert_true(g_file_set_contents(pw, "secret\n", -1, NULL));
	assert_int_equal(g_chmod(pw, 0600), 0);
	assert_true(g_file_set_contents(ca, "-----BEGIN", -1, NULL));
	assert_true(g_file_set_contents(path,
					"[general]\n"
					"rules = rules.d;../rules\n"
					"store = state/t.db\n"
					"archive = ./evidence\n"
					"[account a]\n"
					"host = imap.example.com\n"
					"user = u\n"
					"password-file = pw\n"
					"tls-ca-file = ca.pem\n",
					-1, NULL));

	g_autoptr(TwConfig) c = tw_engine_config_load(path, NULL, &error);
	if (c == NULL)
		fail_msg("%s", error->message);
	g_autofree char *rules = g_strdup_printf("%s|%s", subrules, f->rules);
	g_autofree char *store = g_build_filename(sub, "state", "t.db", NULL);
	g_autofree char *archive = g_build_filename(sub, "evidence", NULL);
	const TwAccount *a = c->accounts->pdata[0];

	assert_strv(c->rules, rules);
	assert_string_equal(c->store, store);
	assert_string_equal(c->archive, archive);
	assert_string_equal(a->password_file, pw);
	assert_string_equal(a->tls_ca_file, ca);
}

/* A file given by a relative name: paths are still relative to its directory. */
static void
test_relative_config_name(void **state)
{
	Fixture *f = *state;
	g_autofree char *cwd = g_get_current_dir();
	g_autofree char *path =
		write_file(f, "rel.conf", "[general]\nstore = x.db\n", 0644);
	g_autoptr(GError) error = NULL;
	g_autofree char *want = g_build_filename(f->dir, "x.db", NULL);

	assert_int_equal(g_chdir(f->dir), 0);
	TwConfig *c = tw_engine_config_load("rel.conf", NULL, &error);
	assert_int_equal(g_chdir(cwd), 0);
	assert_non_null(c);
	assert_string_equal(c->file, "rel.conf");
	assert_string_equal(c->store, want);
	tw_engine_config_free(c);
}

static void
test_syntax_details(void **state)
{
	Fixture *f = *state;
	/* BOM, CRLF, indentation, no blanks around "=", "=" in a value */
	g_autoptr(TwConfig) c =
		load(f, "\xEF\xBB\xBF# comment\r\n"
			"  [general]  \r\n"
			"\tlanguage=zh\r\n"
			"   # indented comment\r\n"
			"authserv-id = a=b\r\n"
			"[ digest ]\n"
			"smtp-password-command = sh -c 'cat \\\\x'\n");

	assert_string_equal(c->language, "zh");
	assert_string_equal(c->authserv_id, "a=b");
	/* values are taken as written: no GKeyFile escapes */
	assert_string_equal(c->smtp_password_command, "sh -c 'cat \\\\x'");
}

/* ---- [limits] --------------------------------------------------------- */

static void
test_limits_values(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c = load(f, "[limits]\n"
					"message-size = 32M\n"
					"header-size = 1024\n"
					"mime-depth = 8\n"
					"mime-parts = 50\n"
					"text-per-part = 1G\n"
					"match-limit = 5000\n"
					"jit-stack = 256K\n"
					"rule-budget = 1m\n");

	assert_int_equal(c->limits.message_size, 32 * 1024 * 1024);
	assert_int_equal(c->limits.header_size, 1024);
	assert_int_equal(c->limits.mime_depth, 8);
	assert_int_equal(c->limits.mime_parts, 50);
	assert_int_equal(c->limits.text_per_part, 1024 * 1024 * 1024);
	assert_int_equal(c->limits.match_limit, 5000);
	assert_int_equal(c->limits.jit_stack, 256 * 1024);
	assert_int_equal(c->limits.rule_budget_ms, 60000);
}

static void
test_limits_bad_values(void **state)
{
	Fixture *f = *state;
	g_autofree char *m = load_error(f, "[limits]\n"
					   "message-size = 16MB\n"
					   "header-size = 0\n"
					   "mime-depth = 0\n"
					   "mime-parts = -3\n"
					   "text-per-part = big\n"
					   "match-limit = 1e6\n"
					   "jit-stack = 1T\n"
					   "rule-budget = 2x\n");

	assert_error_line(
		f, m, 2,
		"message-size: bad size '16MB' (expected N, NK, NM or NG)");
	assert_error_line(f, m, 3, "header-size: must be more than 0");
	assert_error_line(
		f, m, 4,
		"mime-depth: expected a whole number from 1 to 4294967295, not '0'");
	assert_error_line(
		f, m, 5,
		"mime-parts: expected a whole number from 1 to 4294967295, not '-3'");
	assert_error_line(
		f, m, 6,
		"text-per-part: bad size 'big' (expected N, NK, NM or NG)");
	assert_error_line(
		f, m, 7,
		"match-limit: expected a whole number from 1 to 4294967295, not '1e6'");
	assert_error_line(
		f, m, 8, "jit-stack: bad size '1T' (expected N, NK, NM or NG)");
	assert_error_line(
		f, m, 9,
		"rule-budget: bad duration '2x' (expected N followed by s, m, h or d)");
	expect_error(f, "[limits]\nrule-budget = 0s\n", 2,
		     "rule-budget: must be more than 0");
}

/* ---- structure errors ------------------------------------------------- */

static void
test_error_unknown_section(void **state)
{
	Fixture *f = *state;

	/* its keys are not reported again */
	expect_error(f, "[general]\n\n[generel]\nlanguage = zh\n", 3,
		     "unknown section [generel]");
	expect_error(f, "[Account x]\n", 1, "unknown section [Account x]");
}

static void
test_error_unknown_key(void **state)
{
	Fixture *f = *state;

	expect_error(f, "[general]\nlangauge = zh\n", 2,
		     "unknown key 'langauge' in [general]");
	expect_error(f, ACCOUNT "passwd = x\n", 5,
		     "unknown key 'passwd' in [account shop1]");
	/* a key of another section */
	expect_error(f, "[digest]\nstale-after = 1h\n", 2,
		     "unknown key 'stale-after' in [digest]");
	expect_error(f, "[limits]\nhost = x\n", 2,
		     "unknown key 'host' in [limits]");
}

static void
test_error_duplicate_key(void **state)
{
	Fixture *f = *state;

	expect_error(f, "[general]\nlanguage = en\n# again\nlanguage = zh\n", 4,
		     "duplicate key 'language' in [general] (first on line 2)");
	expect_error(
		f, ACCOUNT "host=other.example.com\n", 5,
		"duplicate key 'host' in [account shop1] (first on line 2)");
}

static void
test_error_duplicate_section(void **state)
{
	Fixture *f = *state;

	expect_error(f,
		     "[general]\nlanguage = en\n[digest]\n[general]\n"
		     "language = zh\n",
		     4, "duplicate section [general] (first on line 1)");
	/* the same account, however it is spaced */
	expect_error(f, ACCOUNT "[account   shop1 ]\nhost = x\n", 5,
		     "duplicate section [account shop1] (first on line 1)");
}

static void
test_error_bad_line(void **state)
{
	Fixture *f = *state;

	expect_error(f, "[general]\nlanguage zh\n", 2,
		     "line is neither [section], key = value nor # comment");
	expect_error(f, "[general]\n; a comment of another syntax\n", 2,
		     "line is neither [section], key = value nor # comment");
	expect_error(f, "[general]\n= zh\n", 2,
		     "line is neither [section], key = value nor # comment");
	/* comments on their own lines only: this is a bad header */
	expect_error(f, "[general] # main\n", 1,
		     "bad section header (expected [NAME])");
	expect_error(f, "[general\nlanguage = zh\n", 1,
		     "bad section header (expected [NAME])");
	expect_error(f, "\nlanguage = zh\n[general]\n", 2,
		     "key 'language' outside any section");
}

static void
test_error_account_name(void **state)
{
	Fixture *f = *state;

	expect_error(f, "[account]\nhost = x\n", 1,
		     "section [account] has no name (expected [account NAME])");
	expect_error(f, "[account]\n", 1,
		     "section [account] has no name (expected [account NAME])");
	expect_error(
		f, "[account a/b]\nhost = x\n", 1,
		"bad account name 'a/b' (up to 64 letters, digits and ._-@+, starting with a letter or digit)");
	expect_error(
		f, "[account two words]\n", 1,
		"bad account name 'two words' (up to 64 letters, digits and ._-@+, starting with a letter or digit)");
	expect_error(
		f, "[account -x]\n", 1,
		"bad account name '-x' (up to 64 letters, digits and ._-@+, starting with a letter or digit)");

	/* the characters that are allowed */
	g_autoptr(TwConfig) c =
		load(f, "[account Seller.One_2-b+c@example.com]\n"
			"host = h\nuser = u\npassword-command = p\n");
	assert_string_equal(((TwAccount *)c->accounts->pdata[0])->name,
			    "Seller.One_2-b+c@example.com");
}

static void
test_error_file(void **state)
{
	Fixture *f = *state;
	g_autoptr(GError) error = NULL;
	g_autofree char *missing = g_build_filename(f->dir, "no.conf", NULL);
	g_autofree char *want = g_strdup_printf("%s: no such file", missing);
	g_autofree char *want_dir = g_strdup_printf(
		"%s: is a directory, not a configuration file", f->rules);

	assert_null(tw_engine_config_load(missing, NULL, &error));
	assert_true(g_error_matches(error, TW_ERROR, TW_ERROR_CONFIG));
	assert_string_equal(error->message, want);
	g_clear_error(&error);

	assert_null(tw_engine_config_load(f->rules, NULL, &error));
	assert_string_equal(error->message, want_dir);
	g_clear_error(&error);

	g_autofree char *m =
		load_error(f, "[general]\n# ok\nlanguage = \xff\n");
	g_autofree char *want_utf8 =
		g_strdup_printf("%s:3: not valid UTF-8 text", f->conf);
	assert_string_equal(m, want_utf8);
}

/* ---- value errors ----------------------------------------------------- */

static void
test_error_enums(void **state)
{
	Fixture *f = *state;

	expect_error(f, ACCOUNT "security = ssl\n", 5,
		     "security: expected tls, starttls or none, not 'ssl'");
	expect_error(f, ACCOUNT "auth = cram-md5\n", 5,
		     "auth: expected login, plain or xoauth2, not 'cram-md5'");
	expect_error(f, "[general]\nlanguage = de\n", 2,
		     "language: expected en or zh, not 'de'");
	expect_error(
		f, ACCOUNT "backfill = forever\n", 5,
		"backfill: expected a duration (90d), all or none, not 'forever'");
	expect_error(f, ACCOUNT "idle = sometimes\n", 5,
		     "idle: expected true or false, not 'sometimes'");
	/* enums are lower case */
	expect_error(f, ACCOUNT "security = TLS\n", 5,
		     "security: expected tls, starttls or none, not 'TLS'");
}

static void
test_error_numbers(void **state)
{
	Fixture *f = *state;

	expect_error(f, ACCOUNT "port = 0\n", 5,
		     "port: expected a whole number from 1 to 65535, not '0'");
	expect_error(
		f, ACCOUNT "port = 65536\n", 5,
		"port: expected a whole number from 1 to 65535, not '65536'");
	expect_error(
		f, ACCOUNT "port = imaps\n", 5,
		"port: expected a whole number from 1 to 65535, not 'imaps'");
	expect_error(
		f, ACCOUNT "interval = 0\n", 5,
		"interval: expected a positive number of seconds or a duration (5m), not '0'");
	expect_error(
		f, ACCOUNT "timeout = 0s\n", 5,
		"timeout: expected a positive number of seconds or a duration (5m), not '0s'");
	expect_error(
		f, ACCOUNT "timeout = -5\n", 5,
		"timeout: expected a positive number of seconds or a duration (5m), not '-5'");
	expect_error(
		f, "[alert]\nstale-after = 6 hours\n", 2,
		"stale-after: bad duration '6 hours' (expected N followed by s, m, h or d)");
	expect_error(f, "[alert]\nstale-after = 0\n", 2,
		     "stale-after: must be more than 0");

	g_autoptr(TwConfig) c = load(f, ACCOUNT "port = 65535\n");
	assert_int_equal(((TwAccount *)c->accounts->pdata[0])->port, 65535);
}

static void
test_error_empty_values(void **state)
{
	Fixture *f = *state;

	expect_error(f, "[general]\ntimezone =\n", 2, "timezone: empty value");
	expect_error(f, "[general]\nrules = ;\n", 2, "rules: empty list");
	expect_error(f, ACCOUNT "folders = \n", 5, "folders: empty list");
	/* an empty host is reported once, not again as a missing host */
	expect_error(f, "[account a]\nhost =\nuser = u\npassword-command = p\n",
		     2, "host: empty value");
}

static void
test_timezone(void **state)
{
	Fixture *f = *state;

	expect_error(f, "[general]\ntimezone = Mars/Olympus_Mons\n", 2,
		     "timezone: unknown time zone 'Mars/Olympus_Mons'");
	/* a POSIX TZ string: GLib takes it, with the sign people do not
	 * mean (UTC+8 is eight hours behind) */
	expect_error(f, "[general]\ntimezone = UTC+8\n", 2,
		     "timezone: 'UTC+8' is not a name of the time zone "
		     "database (such as Asia/Shanghai)");
	g_autoptr(TwConfig) utc = load(f, "[general]\ntimezone = UTC\n");
	assert_string_equal(utc->timezone, "UTC");
	if (g_file_test("/usr/share/zoneinfo/America/Chicago",
			G_FILE_TEST_EXISTS)) {
		g_autoptr(TwConfig) c =
			load(f, "[general]\ntimezone = America/Chicago\n");
		assert_string_equal(c->timezone, "America/Chicago");
	}
}

static void
test_hosts_addresses_limits(void **state)
{
	Fixture *f = *state;

	/* a file far larger than any configuration */
	g_autofree char *big = g_strnfill(1024 * 1024 + 10, '#');
	g_autofree char *m = load_error(f, big);
	g_autofree char *want = g_strdup_printf(
		"%s: too large for a configuration file (over 1M)", f->conf);
	assert_string_equal(m, want);
	expect_error(f, "[limits]\nrule-budget = 9223372036854776s\n", 2,
		     "rule-budget: too large");

	expect_error(
		f,
		"[account a]\nhost = imap.example.com:993\nuser = u\n"
		"password-command = p\n",
		2,
		"host: 'imap.example.com:993' is not a host name (the port "
		"goes in port)");
	expect_error(f,
		     "[account a]\nhost = imap example.com\nuser = u\n"
		     "password-command = p\n",
		     2,
		     "host: 'imap example.com' is not a host name (the port "
		     "goes in port)");
	expect_error(f, "[digest]\nto = ops@example.com;not an address\n", 2,
		     "to: 'not an address' is not a mail address");
	expect_error(f, "[digest]\nfrom = trowatch\n", 2,
		     "from: 'trowatch' is not a mail address");
	expect_error(f, "[alert]\nto = @example.com\n", 2,
		     "to: '@example.com' is not a mail address");
	expect_error(f, ACCOUNT "alert-to = a@b\n", 5,
		     "alert-to: 'a@b' is not a mail address");
	expect_error(f, ACCOUNT "backfill = 0d\n", 5,
		     "backfill: '0d' is no time at all (write none)");
	expect_error(f, "[limits]\njit-stack = 1G\n", 2,
		     "jit-stack: at most 256M");

	g_autoptr(TwConfig) c =
		load(f, "[digest]\nto = Ops <ops@example.com>;b@shop.example\n"
			"from = trowatch@example.com\n"
			"[account a]\nhost = [::1]\nsecurity = none\nuser = u\n"
			"password-command = p\n");
	assert_string_equal(c->digest_to[0], "Ops <ops@example.com>");
}

static void
test_security_none(void **state)
{
	Fixture *f = *state;

	expect_error(
		f,
		"[account a]\nhost = imap.example.com\nsecurity = none\n"
		"user = u\npassword-command = p\n",
		3,
		"security: none is allowed for a loopback host only, not 'imap.example.com' (use tls or starttls)");
	expect_error(
		f,
		"[account a]\nsecurity = none\nhost = 10.0.0.1\n"
		"user = u\npassword-command = p\n",
		2,
		"security: none is allowed for a loopback host only, not '10.0.0.1' (use tls or starttls)");

	g_autoptr(TwConfig) c = load(f, "[account a]\nhost = 127.0.0.1\n"
					"security = none\nuser = u\n"
					"password-command = p\n");
	assert_int_equal(((TwAccount *)c->accounts->pdata[0])->security,
			 TW_SECURITY_NONE);
}

static void
test_account_incomplete(void **state)
{
	Fixture *f = *state;
	g_autofree char *m = NULL;

	expect_error(f, "\n[account a]\nuser = u\npassword-command = p\n", 2,
		     "account 'a' has no host");
	expect_error(f, "[account a]\nhost = h\npassword-command = p\n", 1,
		     "account 'a' has no user");
	expect_error(
		f, "[account a]\nhost = h\nuser = u\n", 1,
		"account 'a' has neither password-command nor password-file (set one)");

	m = load_error(f, "[account a]\n");
	assert_error_line(f, m, 1, "account 'a' has no host");
	assert_error_line(f, m, 1, "account 'a' has no user");
	assert_error_line(
		f, m, 1,
		"account 'a' has neither password-command nor password-file (set one)");
}

static void
test_account_both_passwords(void **state)
{
	Fixture *f = *state;
	g_autofree char *pw = write_file(f, "pw", "secret\n", 0600);
	g_autofree char *text =
		g_strdup_printf("[account a]\nhost = h\nuser = u\n"
				"password-file = %s\npassword-command = p\n",
				pw);

	expect_error(
		f, text, 5,
		"account 'a' has both password-command and password-file (set one)");
}

static void
test_xoauth2_needs_command(void **state)
{
	Fixture *f = *state;
	g_autofree char *pw = write_file(f, "pw", "token\n", 0600);
	g_autofree char *text = g_strdup_printf(
		"[account a]\nhost = h\nuser = u\npassword-file = %s\n"
		"auth = xoauth2\n",
		pw);

	expect_error(
		f, text, 5,
		"auth: xoauth2 needs password-command to fetch a fresh token, not password-file");
}

static void
test_password_file_mode(void **state)
{
	Fixture *f = *state;
	g_autofree char *pw = write_file(f, "pw", "secret\n", 0644);
	g_autofree char *text = g_strdup_printf(
		"[account a]\nhost = h\nuser = u\npassword-file = %s\n", pw);
	g_autofree char *msg = g_strdup_printf(
		"password-file: %s is readable by group or others (run chmod 600 %s)",
		pw, pw);

	expect_error(f, text, 4, msg);
	assert_int_equal(g_chmod(pw, 0640), 0);
	expect_error(f, text, 4, msg);
	assert_int_equal(g_chmod(pw, 0604), 0);
	expect_error(f, text, 4, msg);

	assert_int_equal(g_chmod(pw, 0600), 0);
	g_autoptr(TwConfig) c = load(f, text);
	assert_string_equal(((TwAccount *)c->accounts->pdata[0])->password_file,
			    pw);
	/* owner-only read is enough, and writable by group is not a leak */
	assert_int_equal(g_chmod(pw, 0420), 0);
	TwConfig *c2 = load(f, text);
	tw_engine_config_free(c2);
	/* writable by anyone is: another user could put their own there */
	assert_int_equal(g_chmod(pw, 0602), 0);
	g_autofree char *w = g_strdup_printf(
		"password-file: %s is writable by others (run chmod 600 %s)",
		pw, pw);
	expect_error(f, text, 4, w);
}

static void
test_password_file_missing(void **state)
{
	Fixture *f = *state;
	g_autofree char *missing = g_build_filename(f->dir, "nope", NULL);
	g_autofree char *text = g_strdup_printf(
		"[account a]\nhost = h\nuser = u\npassword-file = %s\n",
		missing);
	g_autofree char *msg =
		g_strdup_printf("password-file: %s: no such file", missing);
	g_autofree char *dirtext = g_strdup_printf(
		"[account a]\nhost = h\nuser = u\npassword-file = %s\n",
		f->rules);
	g_autofree char *dirmsg = g_strdup_printf(
		"password-file: %s is not a regular file", f->rules);

	expect_error(f, text, 4, msg);
	expect_error(f, dirtext, 4, dirmsg);
}

static void
test_tls_fingerprint(void **state)
{
	Fixture *f = *state;
	const char *hex = "0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef";
	g_autoptr(TwConfig) c = load(
		f, ACCOUNT "tls-fingerprint = "
			   "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:ab:cd:ef:"
			   "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF\n");
	assert_string_equal(
		((TwAccount *)c->accounts->pdata[0])->tls_fingerprint, hex);

	g_autofree char *bare =
		g_strdup_printf(ACCOUNT "tls-fingerprint = %s\n", hex);
	g_autoptr(TwConfig) c2 = load(f, bare);
	assert_string_equal(
		((TwAccount *)c2->accounts->pdata[0])->tls_fingerprint, hex);

	static const char *const bad[] = {
		/* 63 digits */
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
		/* 65 digits */
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
		/* not hex */
		"g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		/* SHA-1 */
		"01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text = g_strdup_printf(
			ACCOUNT "tls-fingerprint = %s\n", bad[i]);
		g_autofree char *msg = g_strdup_printf(
			"tls-fingerprint: expected the SHA-256 of the certificate as 64 hex digits (colons optional), not '%s'",
			bad[i]);
		expect_error(f, text, 5, msg);
	}
}

static void
test_tls_ca_file(void **state)
{
	Fixture *f = *state;
	g_autofree char *missing = g_build_filename(f->dir, "ca.pem", NULL);
	g_autofree char *msg = g_strdup_printf(
		"tls-ca-file: %s: no such file or directory", missing);
	g_autofree char *dirmsg = g_strdup_printf(
		"tls-ca-file: %s is not a regular file", f->rules);

	expect_error(f, ACCOUNT "tls-ca-file = ca.pem\n", 5, msg);
	expect_error(f, ACCOUNT "tls-ca-file = rules\n", 5, dirmsg);

	g_autofree char *ca = write_file(f, "ca.pem", "-----BEGIN\n", 0644);
	g_autoptr(TwConfig) c = load(f, ACCOUNT "tls-ca-file = ca.pem\n");
	assert_string_equal(((TwAccount *)c->accounts->pdata[0])->tls_ca_file,
			    ca);
}

static void
test_rules_missing(void **state)
{
	Fixture *f = *state;
	g_autofree char *missing =
		g_build_filename(f->dir, "local.rules", NULL);
	g_autofree char *msg = g_strdup_printf(
		"rules: %s: no such file or directory", missing);
	g_autofree char *text = g_strdup_printf(
		"[general]\nrules = %s;local.rules\n", f->rules);

	expect_error(f, text, 2, msg);
}

static void
test_actions_in_config(void **state)
{
	Fixture *f = *state;

	expect_error(
		f, "[actions]\ncritical = keyword:$A;delete\n", 2,
		"critical: bad action 'delete' (expected keyword:$NAME, copy:FOLDER, move:FOLDER, archive or alert)");
	expect_error(f, "[actions]\nmedium = copy:X;copy:X\n", 2,
		     "medium: duplicate action 'copy:X'");
	expect_error(
		f, ACCOUNT "low = keyword:\\Seen\n", 5,
		"low: bad keyword in action 'keyword:\\Seen' (an IMAP atom: no spaces, controls, non-ASCII or ()\"{%*\\] characters)");
	expect_error(
		f, ACCOUNT "high = move:\n", 5,
		"high: bad folder in action 'move:' (expected a non-empty UTF-8 name without control characters)");
}

static void
test_deliver_valid(void **state)
{
	Fixture *f = *state;
	static const char *const ok[] = {
		"smtp://localhost:25",
		"smtp://mail.example.com",
		"smtps://mail.example.com:465",
		"smtp://[::1]:587",
		"smtp://127.0.0.1",
		"sendmail",
		"imap:shop1/TRO/Digest",
		"file:-",
		"file:/var/lib/trowatch/digest.txt",
	};

	for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autofree char *text = g_strdup_printf(
			"[digest]\ndeliver = %s\n" ACCOUNT, ok[i]);
		g_autoptr(TwConfig) c = load(f, text);
		assert_string_equal(c->digest_deliver, ok[i]);
	}
}

static void
test_deliver_invalid(void **state)
{
	Fixture *f = *state;
	static const char *const bad[] = {
		"smtp://",	    "smtp://host:0",	"smtp://host:99999",
		"smtp://host:25/x", "smtp://user@host", "smtps:host",
		"lmtp://host",	    "sendmail -t",	"file:",
		"imap:shop1",	    "imap:shop1/",	"imap:/INBOX",
		"mailto:a@b",	    "smtp://[::1",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text = g_strdup_printf(
			ACCOUNT "[digest]\ndeliver = %s\n", bad[i]);
		g_autofree char *msg = g_strdup_printf(
			"deliver: expected smtp://HOST[:PORT], smtps://HOST[:PORT], sendmail, imap:ACCOUNT/FOLDER or file:PATH, not '%s'",
			bad[i]);
		expect_error(f, text, 6, msg);
	}
	/* the account must be configured, wherever its section is */
	expect_error(f, "[digest]\ndeliver = imap:shop2/Digest\n" ACCOUNT, 2,
		     "deliver: no [account shop2] for 'imap:shop2/Digest'");
}

/* Every problem of a file in one load, in line order, each named. */
static void
test_many_errors(void **state)
{
	Fixture *f = *state;
	g_autofree char *m = load_error(f, "[general]\n"
					   "language = fr\n"
					   "colour = blue\n"
					   "[account shop1]\n"
					   "host = imap.example.com\n"
					   "port = 0\n"
					   "security = none\n"
					   "[limits]\n"
					   "mime-depth = deep\n"
					   "nonsense\n"
					   "[extra]\n"
					   "[digest]\n"
					   "deliver = pigeon\n");
	g_auto(GStrv) lines = g_strsplit(m, "\n", -1);
	const char *want[] = {
		"2: language: expected en or zh, not 'fr'",
		"3: unknown key 'colour' in [general]",
		"4: account 'shop1' has no user",
		"4: account 'shop1' has neither password-command nor password-file (set one)",
		"6: port: expected a whole number from 1 to 65535, not '0'",
		"7: security: none is allowed for a loopback host only, not 'imap.example.com' (use tls or starttls)",
		"9: mime-depth: expected a whole number from 1 to 4294967295, not 'deep'",
		"10: line is neither [section], key = value nor # comment",
		"11: unknown section [extra]",
		"13: deliver: expected smtp://HOST[:PORT], smtps://HOST[:PORT], sendmail, imap:ACCOUNT/FOLDER or file:PATH, not 'pigeon'",
	};

	assert_int_equal(g_strv_length(lines), G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		g_autofree char *line =
			g_strdup_printf("%s:%s", f->conf, want[i]);
		assert_string_equal(lines[i], line);
	}
}

/* A file of nothing but errors is cut short rather than flooding stderr. */
static void
test_error_cap(void **state)
{
	Fixture *f = *state;
	GString *text = g_string_new("[general]\n");

	for (int i = 0; i < 80; i++)
		g_string_append(text, "junk\n");
	g_autofree char *m = load_error(f, text->str);
	g_string_free(text, TRUE);
	g_auto(GStrv) lines = g_strsplit(m, "\n", -1);
	g_autofree char *last =
		g_strdup_printf("%s: 30 more errors not shown", f->conf);

	assert_int_equal(g_strv_length(lines), 51);
	assert_string_equal(lines[50], last);
}

/* ---- actions ---------------------------------------------------------- */

static void
test_actions_parse(void **state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) a = tw_engine_actions_parse(
		" keyword:$TroCritical ; copy:TRO/Critical;move:法律/案件;"
		"archive;alert;",
		&error);
	const TwAction *act;

	assert_non_null(a);
	assert_int_equal(a->len, 5);
	act = a->pdata[0];
	assert_int_equal(act->kind, TW_ACTION_KEYWORD);
	assert_string_equal(act->arg, "$TroCritical");
	act = a->pdata[1];
	assert_int_equal(act->kind, TW_ACTION_COPY);
	assert_string_equal(act->arg, "TRO/Critical");
	act = a->pdata[2];
	assert_int_equal(act->kind, TW_ACTION_MOVE);
	assert_string_equal(act->arg, "法律/案件");
	act = a->pdata[3];
	assert_int_equal(act->kind, TW_ACTION_ARCHIVE);
	assert_null(act->arg);
	act = a->pdata[4];
	assert_int_equal(act->kind, TW_ACTION_ALERT);
	assert_null(act->arg);

	g_autofree char *text = tw_engine_actions_format(a);
	assert_string_equal(text, "keyword:$TroCritical;copy:TRO/Critical;"
				  "move:法律/案件;archive;alert");
	/* the format parses back to the same list */
	g_autoptr(GPtrArray) b = tw_engine_actions_parse(text, &error);
	g_autofree char *again = tw_engine_actions_format(b);
	assert_string_equal(again, text);

	/* keywords need no "$": any atom */
	g_autoptr(GPtrArray) c = tw_engine_actions_parse("keyword:Legal", NULL);
	assert_non_null(c);
	assert_string_equal(((TwAction *)c->pdata[0])->arg, "Legal");
}

static void
test_actions_empty(void **state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) a = tw_engine_actions_parse("", &error);
	g_autoptr(GPtrArray) b = tw_engine_actions_parse(" ; ", &error);

	assert_non_null(a);
	assert_int_equal(a->len, 0);
	assert_non_null(b);
	assert_int_equal(b->len, 0);
	g_autofree char *text = tw_engine_actions_format(a);
	assert_string_equal(text, "");
}

static void
test_actions_errors(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{"keyword:$A;flag:x",
		 "bad action 'flag:x' (expected keyword:$NAME, copy:FOLDER, move:FOLDER, archive or alert)"},
		{"Archive",
		 "bad action 'Archive' (expected keyword:$NAME, copy:FOLDER, move:FOLDER, archive or alert)"},
		{"archive:x",
		 "bad action 'archive:x' (expected keyword:$NAME, copy:FOLDER, move:FOLDER, archive or alert)"},
		{"alert me",
		 "bad action 'alert me' (expected keyword:$NAME, copy:FOLDER, move:FOLDER, archive or alert)"},
		{"delete",
		 "bad action 'delete' (expected keyword:$NAME, copy:FOLDER, move:FOLDER, archive or alert)"},
		{"keyword:",
		 "bad keyword in action 'keyword:' (an IMAP atom: no spaces, controls, non-ASCII or ()\"{%*\\] characters)"},
		{"keyword:$Tro Critical",
		 "bad keyword in action 'keyword:$Tro Critical' (an IMAP atom: no spaces, controls, non-ASCII or ()\"{%*\\] characters)"},
		{"keyword:\\Flagged",
		 "bad keyword in action 'keyword:\\Flagged' (an IMAP atom: no spaces, controls, non-ASCII or ()\"{%*\\] characters)"},
		{"keyword:$案件",
		 "bad keyword in action 'keyword:$案件' (an IMAP atom: no spaces, controls, non-ASCII or ()\"{%*\\] characters)"},
		{"copy:",
		 "bad folder in action 'copy:' (expected a non-empty UTF-8 name without control characters)"},
		{"move:A\tB",
		 "bad folder in action 'move:A\tB' (expected a non-empty UTF-8 name without control characters)"},
		{"copy:\xc3(",
		 "bad folder in action 'copy:\xc3(' (expected a non-empty UTF-8 name without control characters)"},
		{"archive;keyword:$A;archive", "duplicate action 'archive'"},
		{"keyword:$A;keyword:$A", "duplicate action 'keyword:$A'"},
		{"move:A;move:B",
		 "second move action 'move:B' (a message can be moved once)"},
	};
	/* each atom-special on its own */
	static const char specials[] = "()\"{%*\\]";

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		GPtrArray *a = tw_engine_actions_parse(cases[i].text, &error);
		if (a != NULL)
			fail_msg("'%s' parsed", cases[i].text);
		assert_true(g_error_matches(error, TW_ERROR, TW_ERROR_CONFIG));
		assert_string_equal(error->message, cases[i].message);
	}
	for (const char *s = specials; *s; s++) {
		g_autofree char *text = g_strdup_printf("keyword:$A%cB", *s);
		g_autoptr(GError) error = NULL;
		GPtrArray *a = tw_engine_actions_parse(text, &error);
		if (a != NULL)
			fail_msg("'%s' parsed", text);
		assert_non_null(strstr(error->message, text));
	}
	/* different folders for copy, or copy and move, are not duplicates */
	g_autoptr(GPtrArray) ok =
		tw_engine_actions_parse("copy:A;copy:B;move:A", NULL);
	assert_non_null(ok);
	assert_int_equal(ok->len, 3);
}

/* ---- search order ----------------------------------------------------- */

static void
test_config_find(void **state)
{
	Fixture *f = *state;
	g_autofree char *xdg = g_build_filename(f->dir, "xdg", NULL);
	g_autofree char *sys = g_build_filename(f->dir, "etc", NULL);
	g_autofree char *xdg_conf =
		g_build_filename(xdg, "trowatch", "trowatch.conf", NULL);
	g_autofree char *sys_conf =
		g_build_filename(sys, "trowatch", "trowatch.conf", NULL);
	g_autofree char *saved_xdg = g_strdup(g_getenv("XDG_CONFIG_HOME"));
	g_autofree char *saved_env = g_strdup(g_getenv("TROWATCH_CONFIG"));
	char *p;

	g_setenv("XDG_CONFIG_HOME", xdg, TRUE);
	g_unsetenv("TROWATCH_CONFIG");

	/* nothing there */
	assert_null(tw_engine_config_find(NULL, sys));

	/* the system file */
	g_autofree char *sys_dir = g_path_get_dirname(sys_conf);
	assert_int_equal(g_mkdir_with_parents(sys_dir, 0700), 0);
	assert_true(g_file_set_contents(sys_conf, "", -1, NULL));
	p = tw_engine_config_find(NULL, sys);
	assert_string_equal(p, sys_conf);
	g_free(p);

	/* the user's file before it */
	g_autofree char *xdg_dir = g_path_get_dirname(xdg_conf);
	assert_int_equal(g_mkdir_with_parents(xdg_dir, 0700), 0);
	assert_true(g_file_set_contents(xdg_conf, "", -1, NULL));
	p = tw_engine_config_find(NULL, sys);
	assert_string_equal(p, xdg_conf);
	g_free(p);

	/* $TROWATCH_CONFIG before both, even when it does not exist */
	g_setenv("TROWATCH_CONFIG", "/nonexistent/env.conf", TRUE);
	p = tw_engine_config_find(NULL, sys);
	assert_string_equal(p, "/nonexistent/env.conf");
	g_free(p);

	/* --config before everything, even when it does not exist */
	p = tw_engine_config_find("/nonexistent/opt.conf", sys);
	assert_string_equal(p, "/nonexistent/opt.conf");
	g_free(p);

	/* empty means unset */
	g_setenv("TROWATCH_CONFIG", "", TRUE);
	p = tw_engine_config_find(NULL, sys);
	assert_string_equal(p, xdg_conf);
	g_free(p);

	if (saved_xdg != NULL)
		g_setenv("XDG_CONFIG_HOME", saved_xdg, TRUE);
	else
		g_unsetenv("XDG_CONFIG_HOME");
	if (saved_env != NULL)
		g_setenv("TROWATCH_CONFIG", saved_env, TRUE);
	else
		g_unsetenv("TROWATCH_CONFIG");
}

/* ---- dump ------------------------------------------------------------- */

static void
assert_strv_equal(char *const *a, char *const *b)
{
	g_autofree char *ja = g_strjoinv("|", (char **)a);
	g_autofree char *jb = g_strjoinv("|", (char **)b);

	assert_string_equal(ja, jb);
}

static void
assert_action_sets_equal(const TwActionSet *a, const TwActionSet *b)
{
	for (int i = 0; i < TW_SEVERITY_COUNT; i++) {
		g_autofree char *ta = tw_engine_actions_format(a->actions[i]);
		g_autofree char *tb = tw_engine_actions_format(b->actions[i]);
		assert_string_equal(ta, tb);
	}
}

static void
assert_configs_equal(const TwConfig *a, const TwConfig *b)
{
	assert_strv_equal(a->rules, b->rules);
	assert_string_equal(a->store, b->store);
	assert_string_equal(a->archive, b->archive);
	assert_string_equal(a->language, b->language);
	assert_true(g_strcmp0(a->timezone, b->timezone) == 0);
	assert_true(g_strcmp0(a->authserv_id, b->authserv_id) == 0);
	assert_action_sets_equal(&a->actions, &b->actions);
	assert_strv_equal(a->identity_names, b->identity_names);
	assert_strv_equal(a->digest_to, b->digest_to);
	assert_true(g_strcmp0(a->digest_from, b->digest_from) == 0);
	assert_string_equal(a->digest_deliver, b->digest_deliver);
	assert_true(g_strcmp0(a->smtp_user, b->smtp_user) == 0);
	assert_true(g_strcmp0(a->smtp_password_command,
			      b->smtp_password_command) == 0);
	assert_strv_equal(a->alert_to, b->alert_to);
	assert_true(g_strcmp0(a->alert_command, b->alert_command) == 0);
	assert_int_equal(a->stale_after, b->stale_after);
	assert_memory_equal(&a->limits, &b->limits, sizeof(a->limits));

	assert_int_equal(a->accounts->len, b->accounts->len);
	for (guint i = 0; i < a->accounts->len; i++) {
		const TwAccount *x = a->accounts->pdata[i];
		const TwAccount *y = b->accounts->pdata[i];
		assert_string_equal(x->name, y->name);
		assert_string_equal(x->host, y->host);
		assert_int_equal(x->port, y->port);
		assert_int_equal(x->security, y->security);
		assert_true(g_strcmp0(x->tls_ca_file, y->tls_ca_file) == 0);
		assert_true(g_strcmp0(x->tls_fingerprint, y->tls_fingerprint) ==
			    0);
		assert_string_equal(x->user, y->user);
		assert_true(g_strcmp0(x->password_command,
				      y->password_command) == 0);
		assert_true(g_strcmp0(x->password_file, y->password_file) == 0);
		assert_int_equal(x->auth, y->auth);
		assert_strv_equal(x->folders, y->folders);
		assert_int_equal(x->idle, y->idle);
		assert_int_equal(x->interval, y->interval);
		assert_int_equal(x->backfill, y->backfill);
		assert_int_equal(x->backfill_seconds, y->backfill_seconds);
		assert_int_equal(x->timeout, y->timeout);
		assert_action_sets_equal(&x->actions, &y->actions);
		assert_strv_equal(x->identity, y->identity);
		assert_strv_equal(x->digest_to, y->digest_to);
		assert_strv_equal(x->alert_to, y->alert_to);
	}
}

/* Dump @c, load the dump from another directory, and compare. */
static void
assert_round_trip(const Fixture *f, const TwConfig *c)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GString) out2 = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_build_filename(f->dir, "dumped", NULL);
	g_autofree char *path = g_build_filename(dir, "dump.conf", NULL);

	tw_engine_config_dump(c, out);
	g_mkdir(dir, 0700);
	assert_true(g_file_set_contents(path, out->str, out->len, NULL));
	g_autoptr(TwConfig) again =
		tw_engine_config_load(path, "/nonexistent", &error);
	if (again == NULL)
		fail_msg("the dump does not load:\n%s\n---\n%s", error->message,
			 out->str);
	assert_configs_equal(c, again);
	/* and the dump of the reload is the same, to the byte */
	tw_engine_config_dump(again, out2);
	assert_string_equal(out->str, out2->str);
}

static void
test_dump_round_trip(void **state)
{
	Fixture *f = *state;
	g_autofree char *pw = write_file(f, "pw", "secret\n", 0600);
	g_autofree char *ca = write_file(f, "ca.pem", "-----BEGIN\n", 0644);
	g_autofree char *text = g_strdup_printf(
		"[general]\n"
		"rules = rules;%s\n"
		"store = state/t.db\n"
		"language = zh\n"
		"timezone = +08:00\n"
		"authserv-id = mx.example.com\n"
		"[actions]\n"
		"high = keyword:$Ip;move:IP/收件\n"
		"low =\n"
		"[identity]\n"
		"names = Acme Home Store;艾克米家居\n"
		"[account shop1]\n"
		"host = imap.example.com\n"
		"user = seller@example.com\n"
		"password-command = pass show mail/shop1\n"
		"tls-fingerprint = %s\n"
		"tls-ca-file = ca.pem\n"
		"folders = INBOX;\\Junk;垃圾邮件\n"
		"backfill = all\n"
		"interval = 10m\n"
		"critical = keyword:$Legal;alert\n"
		"[account local]\n"
		"host = localhost\n"
		"security = none\n"
		"port = 10143\n"
		"user = u\n"
		"password-file = pw\n"
		"auth = plain\n"
		"idle = false\n"
		"backfill = none\n"
		"digest-to = client@example.com\n"
		"[account x]\n"
		"host = imap.example.net\n"
		"security = starttls\n"
		"user = u\n"
		"password-command = oauth\n"
		"auth = xoauth2\n"
		"backfill = 36h\n"
		"alert-to = pager@example.com\n"
		"[digest]\n"
		"to = ops@example.com;boss@example.com\n"
		"from = trowatch@example.com\n"
		"deliver = imap:local/TRO/Digest\n"
		"smtp-user = trowatch\n"
		"smtp-password-command = pass smtp\n"
		"[alert]\n"
		"command = /usr/bin/page\n"
		"stale-after = 90m\n"
		"[limits]\n"
		"message-size = 1000\n"
		"header-size = 64K\n"
		"mime-depth = 5\n"
		"mime-parts = 77\n"
		"text-per-part = 3M\n"
		"match-limit = 12345\n"
		"jit-stack = 64M\n"
		"rule-budget = 100s\n",
		f->dir,
		"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
		"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89");
	g_autoptr(TwConfig) c = load(f, text);

	assert_string_equal(((TwAccount *)c->accounts->pdata[1])->password_file,
			    pw);
	assert_string_equal(((TwAccount *)c->accounts->pdata[0])->tls_ca_file,
			    ca);
	assert_round_trip(f, c);
}

static void
test_dump_defaults_round_trip(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c = tw_engine_config_load(NULL, f->rules, NULL);

	assert_non_null(c);
	assert_round_trip(f, c);
}

/* Every key appears, set or as a comment, in its section. */
static void
test_dump_every_key(void **state)
{
	Fixture *f = *state;
	g_autoptr(TwConfig) c = load(f, ACCOUNT);
	g_autoptr(GString) out = g_string_new(NULL);
	static const char *const sections[] = {
		"[general]\n",	"[account shop1]\n", "[actions]\n",
		"[identity]\n", "[digest]\n",	     "[alert]\n",
		"[limits]\n",
	};
	static const char *const keys[] = {
		/* general */
		"rules",
		"store",
		"archive",
		"language",
		"# timezone",
		"# authserv-id",
		/* account */
		"host",
		"port",
		"security",
		"# tls-ca-file",
		"# tls-fingerprint",
		"user",
		"password-command",
		"# password-file",
		"auth",
		"folders",
		"idle",
		"interval",
		"backfill",
		"timeout",
		"identity",
		"digest-to",
		"alert-to",
		/* actions (and per account) */
		"critical",
		"high",
		"medium",
		"low",
		/* identity */
		"names",
		/* digest */
		"to",
		"# from",
		"deliver",
		"# smtp-user",
		"# smtp-password-command",
		/* alert */
		"# command",
		"stale-after",
		/* limits */
		"message-size",
		"header-size",
		"mime-depth",
		"mime-parts",
		"text-per-part",
		"match-limit",
		"jit-stack",
		"rule-budget",
	};

	tw_engine_config_dump(c, out);
	for (guint i = 0; i < G_N_ELEMENTS(sections); i++)
		if (strstr(out->str, sections[i]) == NULL)
			fail_msg("no %s in:\n%s", sections[i], out->str);
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autofree char *want = g_strdup_printf("\n%s =", keys[i]);
		if (strstr(out->str, want) == NULL)
			fail_msg("no '%s' line in:\n%s", keys[i], out->str);
	}
	assert_non_null(strstr(out->str, "\n# timezone = (the system's)\n"));
	assert_non_null(strstr(out->str, "\nfolders = INBOX;\\Junk\n"));
	assert_non_null(strstr(out->str, "\nport = 993\n"));
	assert_non_null(strstr(out->str, "\nbackfill = 90d\n"));
	assert_non_null(strstr(out->str, "\nstale-after = 6h\n"));
	assert_non_null(strstr(out->str, "\nmessage-size = 16M\n"));
	assert_non_null(strstr(out->str, "\nrule-budget = 2s\n"));
	assert_non_null(strstr(out->str, "\ndeliver = file:-\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_defaults_without_file),
		T(test_defaults_empty_file),
		T(test_account_defaults),
		T(test_account_port_follows_security),
		T(test_product_example),
		T(test_account_values),
		T(test_general_values),
		T(test_account_inheritance),
		T(test_alert_to_explicit),
		T(test_relative_paths),
		T(test_relative_config_name),
		T(test_syntax_details),
		T(test_limits_values),
		T(test_limits_bad_values),
		T(test_error_unknown_section),
		T(test_error_unknown_key),
		T(test_error_duplicate_key),
		T(test_error_duplicate_section),
		T(test_error_bad_line),
		T(test_error_account_name),
		T(test_error_file),
		T(test_error_enums),
		T(test_error_numbers),
		T(test_error_empty_values),
		T(test_timezone),
		T(test_hosts_addresses_limits),
		T(test_security_none),
		T(test_account_incomplete),
		T(test_account_both_passwords),
		T(test_xoauth2_needs_command),
		T(test_password_file_mode),
		T(test_password_file_missing),
		T(test_tls_fingerprint),
		T(test_tls_ca_file),
		T(test_rules_missing),
		T(test_actions_in_config),
		T(test_deliver_valid),
		T(test_deliver_invalid),
		T(test_many_errors),
		T(test_error_cap),
		T(test_actions_parse),
		T(test_actions_empty),
		T(test_actions_errors),
		T(test_config_find),
		T(test_dump_round_trip),
		T(test_dump_defaults_round_trip),
		T(test_dump_every_key),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
