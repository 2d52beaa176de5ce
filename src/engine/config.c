/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The configuration file: search, load with every check, defaults and dump. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "trowatch/engine.h"
#include "trowatch/util.h"

/* PCRE2's JIT stack per match: more than this is a mistake, not a need. */
#define MAX_JIT_STACK (256 * 1024 * 1024)

/* A configuration is a few kilobytes; anything this large is a mistake. */
#define MAX_FILE_SIZE (1024 * 1024)
/* Past this many problems the rest is noise: the first ones need fixing. */
#define MAX_PROBLEMS	 50
#define MAX_ACCOUNT_NAME 64

static const char *const general_keys[] = {
	"rules",    "store",	   "archive", "language",
	"timezone", "authserv-id", NULL};
static const char *const account_keys[] = {
	"host",
	"port",
	"security",
	"tls-ca-file",
	"tls-fingerprint",
	"user",
	"password-command",
	"password-file",
	"auth",
	"folders",
	"idle",
	"interval",
	"backfill",
	"timeout",
	"critical",
	"high",
	"medium",
	"low",
	"identity",
	"digest-to",
	"alert-to",
	NULL,
};
static const char *const actions_keys[] = {"critical", "high", "medium", "low",
					   NULL};
static const char *const identity_keys[] = {"names", NULL};
static const char *const digest_keys[] = {
	"to", "from", "deliver", "smtp-user", "smtp-password-command", NULL};
static const char *const alert_keys[] = {"to", "command", "stale-after", NULL};
static const char *const limits_keys[] = {
	"message-size", "header-size",	 "mime-depth",
	"mime-parts",	"text-per-part", "match-limit",
	"jit-stack",	"rule-budget",	 NULL};

static const struct {
	const char *name;
	const char *const *known;
} section_specs[] = {
	{"general", general_keys}, {"account", account_keys},
	{"actions", actions_keys}, {"identity", identity_keys},
	{"digest", digest_keys},   {"alert", alert_keys},
	{"limits", limits_keys},
};

static const char *const security_names[] = {"tls", "starttls", "none", NULL};
static const char *const auth_names[] = {"login", "plain", "xoauth2", NULL};
static const char *const language_names[] = {"en", "zh", NULL};

static const char *const default_actions[TW_SEVERITY_COUNT] = {
	[TW_SEVERITY_NONE] = "",
	[TW_SEVERITY_LOW] = "keyword:$TroLow",
	[TW_SEVERITY_MEDIUM] = "keyword:$TroMedium",
	[TW_SEVERITY_HIGH] = "keyword:$TroHigh;copy:TRO/High;archive",
	[TW_SEVERITY_CRITICAL] =
		"keyword:$TroCritical;copy:TRO/Critical;archive;alert",
};

#define DEFAULT_FOLDERS	    "INBOX;\\Junk"
#define DEFAULT_INTERVAL    300
#define DEFAULT_BACKFILL    (90 * 86400)
#define DEFAULT_TIMEOUT	    60
#define DEFAULT_STALE_AFTER (6 * 3600)
#define DEFAULT_DELIVER	    "file:-"

/* A section as the pre-scan found it, with the line of each of its keys. */
typedef struct {
	char *name;    /* the GKeyFile group: "general", "account shop1" */
	char *account; /* NAME of [account NAME], else NULL */
	const char *const *known; /* the keys it may have */
	guint line;
	GHashTable *keys; /* key -> GUINT_TO_POINTER(line) */
} Section;

typedef struct {
	guint line; /* 0: the file as a whole */
	guint seq;  /* order of discovery, so that sorting is stable */
	char *text;
} Problem;

typedef struct {
	const char *file;    /* as given, for messages */
	char *dir;	     /* absolute directory of the file */
	GArray *problems;    /* Problem */
	GPtrArray *sections; /* Section*, in file order */
	GHashTable *by_name; /* group name -> Section* */
	GKeyFile *keyfile;
} Loader;

static void
section_free(gpointer data)
{
	Section *sec = data;

	g_free(sec->name);
	g_free(sec->account);
	g_hash_table_unref(sec->keys);
	g_free(sec);
}

static void
problem_clear(gpointer data)
{
	Problem *p = data;

	g_free(p->text);
}

static void problem(Loader *l, guint line, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static void
problem(Loader *l, guint line, const char *fmt, ...)
{
	va_list ap;
	Problem p = {.line = line, .seq = l->problems->len};

	va_start(ap, fmt);
	p.text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_array_append_val(l->problems, p);
}

static gint
problem_cmp(gconstpointer a, gconstpointer b)
{
	const Problem *pa = a, *pb = b;

	if (pa->line != pb->line)
		return pa->line < pb->line ? -1 : 1;
	return pa->seq < pb->seq ? -1 : pa->seq > pb->seq;
}

static gboolean
in_list(const char *const *list, const char *word)
{
	for (; *list; list++)
		if (strcmp(*list, word) == 0)
			return TRUE;
	return FALSE;
}

static const char *const *
section_keys(const char *kind)
{
	for (guint i = 0; i < G_N_ELEMENTS(section_specs); i++)
		if (strcmp(section_specs[i].name, kind) == 0)
			return section_specs[i].known;
	return NULL;
}

/*
 * Account names appear in --account, imap:ACCOUNT/FOLDER, the store and JSON:
 * keep them to characters that need no quoting anywhere.
 */
static gboolean
is_account_name(const char *name)
{
	if (!g_ascii_isalnum(*name) || strlen(name) > MAX_ACCOUNT_NAME)
		return FALSE;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("._-@+", *p))
			return FALSE;
	return TRUE;
}

/* Like GKeyFile: "[NAME]" followed by nothing but blanks. */
static gboolean
header_name(const char *start, char **name_r)
{
	const char *close = strchr(start, ']');

	if (close == NULL)
		return FALSE;
	for (const char *p = close + 1; *p; p++)
		if (*p != ' ' && *p != '\t')
			return FALSE;
	*name_r = g_strstrip(g_strndup(start + 1, close - start - 1));
	return TRUE;
}

/* Open a section at @line; NULL when its keys are to be skipped. */
static Section *
open_section(Loader *l, const char *name, guint line)
{
	g_autofree char *group = NULL;
	g_autofree char *account = NULL;

	if (strcmp(name, "account") == 0) {
		problem(l, line,
			"section [account] has no name (expected [account NAME])");
		return NULL;
	}
	if (g_str_has_prefix(name, "account") &&
	    g_ascii_isspace(name[strlen("account")])) {
		account = g_strdup(name + strlen("account"));
		g_strstrip(account);
		if (!is_account_name(account)) {
			problem(l, line,
				"bad account name '%s' (up to %d letters, digits and ._-@+, starting with a letter or digit)",
				account, MAX_ACCOUNT_NAME);
			return NULL;
		}
		group = g_strconcat("account ", account, NULL);
	} else if (section_keys(name) == NULL) {
		problem(l, line, "unknown section [%s]", name);
		return NULL;
	} else {
		group = g_strdup(name);
	}

	const Section *first = g_hash_table_lookup(l->by_name, group);
	if (first != NULL) {
		problem(l, line, "duplicate section [%s] (first on line %u)",
			group, first->line);
		return NULL;
	}
	Section *sec = g_new0(Section, 1);
	sec->name = g_steal_pointer(&group);
	sec->known = section_keys(account != NULL ? "account" : sec->name);
	sec->account = g_steal_pointer(&account);
	sec->line = line;
	sec->keys =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_ptr_array_add(l->sections, sec);
	g_hash_table_insert(l->by_name, sec->name, sec);
	return sec;
}

/*
 * GKeyFile stops at the first syntax error and has no line numbers, so this
 * pass reads the lines the way GKeyFile does, records where each section and
 * key is, reports every problem of structure, and returns the text that
 * GKeyFile is then given: only the accepted lines, the others blanked.
 */
static char *
prescan(Loader *l, char *text)
{
	GString *clean = g_string_new(NULL);
	Section *current = NULL;
	gboolean in_section = FALSE; /* a header was seen, even a bad one */
	guint line = 0;

	/* a byte order mark some editors write */
	if (g_str_has_prefix(text, "\xEF\xBB\xBF"))
		text += 3;
	for (char *next, *s = text; s != NULL; s = next) {
		next = strchr(s, '\n');
		if (next != NULL)
			*next++ = '\0';
		line++;

		size_t len = strlen(s);
		if (len > 0 && s[len - 1] == '\r')
			s[len - 1] = '\0';
		while (g_ascii_isspace(*s))
			s++;
		if (*s == '\0' || *s == '#') {
			g_string_append_c(clean, '\n');
			continue;
		}

		char *name = NULL;
		if (*s == '[') {
			if (header_name(s, &name)) {
				current = open_section(l, name, line);
				in_section = TRUE;
				g_free(name);
				if (current != NULL)
					g_string_append_printf(clean, "[%s]",
							       current->name);
			} else {
				problem(l, line,
					"bad section header (expected [NAME])");
				/* its keys belong to no section we know */
				current = NULL;
				in_section = TRUE;
			}
			g_string_append_c(clean, '\n');
			continue;
		}

		char *eq = strchr(s, '=');
		if (eq == NULL || eq == s) {
			problem(l, line,
				"line is neither [section], key = value nor # comment");
			g_string_append_c(clean, '\n');
			continue;
		}
		g_autofree char *key = g_strndup(s, eq - s);
		g_strchomp(key);

		if (current == NULL) {
			/* keys of a rejected section would only repeat it */
			if (!in_section)
				problem(l, line, "key '%s' outside any section",
					key);
		} else if (!in_list(current->known, key)) {
			problem(l, line, "unknown key '%s' in [%s]", key,
				current->name);
		} else if (g_hash_table_contains(current->keys, key)) {
			problem(l, line,
				"duplicate key '%s' in [%s] (first on line %u)",
				key, current->name,
				GPOINTER_TO_UINT(g_hash_table_lookup(
					current->keys, key)));
		} else {
			g_string_append_printf(clean, "%s=%s", key, eq + 1);
			g_hash_table_insert(current->keys, g_strdup(key),
					    GUINT_TO_POINTER(line));
		}
		g_string_append_c(clean, '\n');
	}
	return g_string_free(clean, FALSE);
}

/* ---- typed values ------------------------------------------------------ */

static gboolean
has_key(const Section *sec, const char *key)
{
	return sec != NULL && g_hash_table_contains(sec->keys, key);
}

static guint
line_of(const Section *sec, const char *key)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(sec->keys, key));
}

/*
 * The value as written, without leading or trailing blanks; NULL when unset.
 * The raw value, not g_key_file_get_string(): its escapes would reject the
 * "\Junk" of folders and any backslash in a command, and no value here needs
 * a newline.
 */
static char *
raw_value(Loader *l, const Section *sec, const char *key)
{
	if (!has_key(sec, key))
		return NULL;
	char *v = g_key_file_get_value(l->keyfile, sec->name, key, NULL);
	return v ? g_strstrip(v) : NULL;
}

/* A string that must not be empty when set; NULL when unset or bad. */
static char *
get_string(Loader *l, const Section *sec, const char *key)
{
	char *v = raw_value(l, sec, key);

	if (v != NULL && *v == '\0') {
		problem(l, line_of(sec, key), "%s: empty value", key);
		g_clear_pointer(&v, g_free);
	}
	return v;
}

/* "a; b;;c;" -> {"a", "b", "c"}: items trimmed, empty ones dropped. */
static char **
split_list(const char *text)
{
	g_auto(GStrv) items = g_strsplit(text, ";", -1);
	GPtrArray *out = g_ptr_array_new();

	for (char **i = items; *i; i++) {
		g_strstrip(*i);
		if (**i != '\0')
			g_ptr_array_add(out, g_strdup(*i));
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* Replace *@dest with the list in @key when it is set. */
static gboolean
get_list(Loader *l, const Section *sec, const char *key, gboolean nonempty,
	 char ***dest)
{
	g_autofree char *v = raw_value(l, sec, key);

	if (v == NULL)
		return FALSE;
	char **list = split_list(v);
	if (nonempty && list[0] == NULL) {
		problem(l, line_of(sec, key), "%s: empty list", key);
		g_strfreev(list);
		return FALSE;
	}
	g_strfreev(*dest);
	*dest = list;
	return TRUE;
}

static char *
resolve(const Loader *l, const char *path)
{
	return g_canonicalize_filename(path, l->dir);
}

static char *
get_path(Loader *l, const Section *sec, const char *key)
{
	g_autofree char *v = get_string(l, sec, key);

	return v ? resolve(l, v) : NULL;
}

static void
get_size(Loader *l, const Section *sec, const char *key, guint64 *dest)
{
	g_autofree char *v = get_string(l, sec, key);
	g_autoptr(GError) error = NULL;
	guint64 n;

	if (v == NULL)
		return;
	if (!tw_util_parse_size(v, &n, &error))
		problem(l, line_of(sec, key), "%s: %s", key, error->message);
	else if (n == 0)
		problem(l, line_of(sec, key), "%s: must be more than 0", key);
	else
		*dest = n;
}

static void
get_duration(Loader *l, const Section *sec, const char *key, gint64 *dest)
{
	g_autofree char *v = get_string(l, sec, key);
	g_autoptr(GError) error = NULL;
	gint64 n;

	if (v == NULL)
		return;
	if (!tw_util_parse_duration(v, &n, &error))
		problem(l, line_of(sec, key), "%s: %s", key, error->message);
	else if (n == 0)
		problem(l, line_of(sec, key), "%s: must be more than 0", key);
	else
		*dest = n;
}

static void
get_number(Loader *l, const Section *sec, const char *key, guint64 min,
	   guint64 max, guint64 *dest)
{
	g_autofree char *v = get_string(l, sec, key);
	guint64 n;

	if (v == NULL)
		return;
	if (!g_ascii_string_to_unsigned(v, 10, min, max, &n, NULL))
		problem(l, line_of(sec, key),
			"%s: expected a whole number from %" G_GUINT64_FORMAT
			" to %" G_GUINT64_FORMAT ", not '%s'",
			key, min, max, v);
	else
		*dest = n;
}

static void
get_uint(Loader *l, const Section *sec, const char *key, guint min, guint max,
	 guint *dest)
{
	guint64 n = *dest;

	get_number(l, sec, key, min, max, &n);
	*dest = (guint)n;
}

/* Seconds, written as a number or as a duration ("300", "5m"). */
static void
get_seconds(Loader *l, const Section *sec, const char *key, guint *dest)
{
	g_autofree char *v = get_string(l, sec, key);
	gint64 n;

	if (v == NULL)
		return;
	if (!tw_util_parse_duration(v, &n, NULL) || n <= 0 || n > G_MAXUINT)
		problem(l, line_of(sec, key),
			"%s: expected a positive number of seconds or a duration (5m), not '%s'",
			key, v);
	else
		*dest = (guint)n;
}

static void
get_bool(Loader *l, const Section *sec, const char *key, gboolean *dest)
{
	static const char *const yes[] = {"true", "yes", "1", NULL};
	static const char *const no[] = {"false", "no", "0", NULL};
	g_autofree char *v = get_string(l, sec, key);

	if (v == NULL)
		return;
	if (in_list(yes, v))
		*dest = TRUE;
	else if (in_list(no, v))
		*dest = FALSE;
	else
		problem(l, line_of(sec, key),
			"%s: expected true or false, not '%s'", key, v);
}

/* "a, b or c" */
static char *
alternatives(const char *const *names)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; names[i]; i++) {
		if (i > 0)
			g_string_append(out, names[i + 1] ? ", " : " or ");
		g_string_append(out, names[i]);
	}
	return g_string_free(out, FALSE);
}

/* The index of the value in @names, or @def when unset or bad. */
static int
get_enum(Loader *l, const Section *sec, const char *key,
	 const char *const *names, int def)
{
	g_autofree char *v = get_string(l, sec, key);

	if (v == NULL)
		return def;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], v) == 0)
			return i;
	g_autofree char *alt = alternatives(names);
	problem(l, line_of(sec, key), "%s: expected %s, not '%s'", key, alt, v);
	return def;
}

/* ---- checks ------------------------------------------------------------ */

static gboolean
is_port(const char *text)
{
	return g_ascii_string_to_unsigned(text, 10, 1, 65535, NULL, NULL);
}

/* HOST[:PORT], HOST a name, an IPv4 address or a bracketed IPv6 address. */
static gboolean
is_host_port(const char *text)
{
	const char *end;

	if (*text == '[') {
		end = strchr(text, ']');
		if (end == NULL || end == text + 1)
			return FALSE;
		end++;
	} else {
		end = text + strcspn(text, ":");
		if (end == text)
			return FALSE;
	}
	for (const char *p = text; p < end; p++)
		if ((unsigned char)*p <= 0x20 || strchr("/@?#", *p))
			return FALSE;
	return *end == '\0' || (*end == ':' && is_port(end + 1));
}

/* Checked once the accounts are known, for imap:ACCOUNT/FOLDER. */
static void
check_deliver(Loader *l, guint line, const char *v, const GPtrArray *accounts)
{
	if (g_str_has_prefix(v, "smtp://") && is_host_port(v + 7))
		return;
	if (g_str_has_prefix(v, "smtps://") && is_host_port(v + 8))
		return;
	if (strcmp(v, "sendmail") == 0)
		return;
	if (g_str_has_prefix(v, "file:") && v[5] != '\0')
		return;
	if (g_str_has_prefix(v, "imap:")) {
		const char *name = v + 5;
		const char *slash = strchr(name, '/');
		if (slash != NULL && slash > name && slash[1] != '\0') {
			g_autofree char *account =
				g_strndup(name, slash - name);
			for (guint i = 0; i < accounts->len; i++) {
				const TwAccount *a = accounts->pdata[i];
				if (strcmp(a->name, account) == 0)
					return;
			}
			problem(l, line, "deliver: no [account %s] for '%s'",
				account, v);
			return;
		}
	}
	problem(l, line,
		"deliver: expected smtp://HOST[:PORT], smtps://HOST[:PORT], sendmail, imap:ACCOUNT/FOLDER or file:PATH, not '%s'",
		v);
}

/* SHA-256 as 64 hex digits, colons allowed between them: lower case, bare. */
static char *
normalise_fingerprint(const char *text)
{
	GString *out = g_string_new(NULL);

	for (const char *p = text; *p; p++) {
		if (*p == ':')
			continue;
		if (!g_ascii_isxdigit(*p) || out->len == 64) {
			g_string_free(out, TRUE);
			return NULL;
		}
		g_string_append_c(out, g_ascii_tolower(*p));
	}
	if (out->len != 64) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/*
 * The password file must be a regular file that only its owner can read:
 * anything else leaks the mailbox to every local user.
 */
static void
check_password_file(Loader *l, guint line, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			problem(l, line, "password-file: %s: no such file",
				path);
		else
			problem(l, line, "password-file: %s: %s", path,
				g_strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		problem(l, line, "password-file: %s is not a regular file",
			path);
	} else if (st.st_mode & 044) {
		problem(l, line,
			"password-file: %s is readable by group or others (run chmod 600 %s)",
			path, path);
	} else if (st.st_mode & 002) {
		problem(l, line,
			"password-file: %s is writable by others (run chmod 600 %s)",
			path, path);
	}
}

/*
 * A time zone of the tz database (Asia/Shanghai, UTC, Etc/GMT-8) or an ISO
 * 8601 offset (+08:00).  GLib also takes POSIX TZ strings, whose sign is
 * the opposite of what people mean: "UTC+8" is eight hours behind UTC, not
 * Beijing time.
 */
static gboolean
tz_database_name(const char *name)
{
	if (strcmp(name, "UTC") == 0)
		return TRUE;
	if ((name[0] == '+' || name[0] == '-') && g_ascii_isdigit(name[1]) &&
	    g_ascii_isdigit(name[2]) &&
	    (name[3] == '\0' ||
	     (strspn(name + 3, ":0123456789") == strlen(name + 3) &&
	      strlen(name) <= 6)))
		return TRUE;
	if (name[0] == '/' || strstr(name, "..") != NULL)
		return FALSE;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && strchr("/_+-", *p) == NULL)
			return FALSE;
	const char *dir = g_getenv("TZDIR");
	if (dir == NULL)
		dir = "/usr/share/zoneinfo";
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
		/* no database to ask: a name without digits is no TZ string,
		 * and Etc/GMT+N is the database's own */
		return g_str_has_prefix(name, "Etc/") ||
		       strpbrk(name, "0123456789") == NULL;
	g_autofree char *path = g_build_filename(dir, name, NULL);
	return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

/* A host name or address literal, with no port, path or white space. */
static gboolean
host_name(const char *host)
{
	if (host[0] == '[') /* an IPv6 literal */
		return host[strlen(host) - 1] == ']' &&
		       strspn(host + 1, "0123456789abcdefABCDEF:.") ==
			       strlen(host) - 2;
	const char *colon = strchr(host, ':');
	if (colon != NULL) /* a bare IPv6 address: two colons at least */
		return strchr(colon + 1, ':') != NULL &&
		       strspn(host, "0123456789abcdefABCDEF:.") == strlen(host);
	for (const char *p = host; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.' &&
		    *p != '_' && !((guchar)*p >= 0x80)) /* IDN in UTF-8 */
			return FALSE;
	return TRUE;
}

/* A mail address, bare (ops@example.com) or with a name
 * (Ops <ops@example.com>). */
static gboolean
mail_address(const char *s)
{
	const char *lt = strchr(s, '<');
	g_autofree char *addr = NULL;
	if (lt != NULL) {
		const char *gt = strchr(lt, '>');
		if (gt == NULL || gt[1] != '\0')
			return FALSE;
		addr = g_strndup(lt + 1, gt - lt - 1);
	} else {
		addr = g_strdup(s);
	}
	const char *at = strrchr(addr, '@');
	if (at == NULL || at == addr || at[1] == '\0' ||
	    strchr(at + 1, '.') == NULL)
		return FALSE;
	for (const char *p = addr; *p; p++)
		if ((guchar)*p <= ' ' || strchr("<>,;\"", *p) != NULL)
			return FALSE;
	return TRUE;
}

/* Every value of a list of mail addresses, checked. */
static void
check_addresses(Loader *l, const Section *sec, const char *key,
		char *const *list)
{
	for (char *const *a = list; a != NULL && *a != NULL; a++)
		if (!mail_address(*a))
			problem(l, line_of(sec, key),
				"%s: '%s' is not a mail address", key, *a);
}

static void
check_exists(Loader *l, guint line, const char *key, const char *path,
	     gboolean regular)
{
	struct stat st;

	if (stat(path, &st) != 0)
		problem(l, line, "%s: %s: %s", key, path,
			errno == ENOENT ? "no such file or directory"
					: g_strerror(errno));
	else if (regular && !S_ISREG(st.st_mode))
		problem(l, line, "%s: %s is not a regular file", key, path);
}

/* ---- sections ---------------------------------------------------------- */

static void
action_set_clear(TwActionSet *set)
{
	for (int i = 0; i < TW_SEVERITY_COUNT; i++)
		g_clear_pointer(&set->actions[i], g_ptr_array_unref);
}

/* The configuration is immutable once loaded, so sets share their arrays. */
static void
action_set_copy(TwActionSet *dest, const TwActionSet *src)
{
	for (int i = 0; i < TW_SEVERITY_COUNT; i++) {
		GPtrArray *a = g_ptr_array_ref(src->actions[i]);
		if (dest->actions[i] != NULL)
			g_ptr_array_unref(dest->actions[i]);
		dest->actions[i] = a;
	}
}

/* The keys critical, high, medium and low of @sec over @set. */
static void
get_actions(Loader *l, const Section *sec, TwActionSet *set)
{
	for (int i = TW_SEVERITY_LOW; i < TW_SEVERITY_COUNT; i++) {
		const char *key = tw_severity_name(i);
		g_autofree char *v = raw_value(l, sec, key);
		g_autoptr(GError) error = NULL;

		if (v == NULL)
			continue;
		GPtrArray *actions = tw_engine_actions_parse(v, &error);
		if (actions == NULL) {
			problem(l, line_of(sec, key), "%s: %s", key,
				error->message);
			continue;
		}
		g_ptr_array_unref(set->actions[i]);
		set->actions[i] = actions;
	}
}

static void
account_free(gpointer data)
{
	TwAccount *a = data;

	if (a == NULL)
		return;
	g_free(a->name);
	g_free(a->host);
	g_free(a->tls_ca_file);
	g_free(a->tls_fingerprint);
	g_free(a->user);
	g_free(a->password_command);
	g_free(a->password_file);
	g_strfreev(a->folders);
	action_set_clear(&a->actions);
	g_strfreev(a->identity);
	g_strfreev(a->digest_to);
	g_strfreev(a->alert_to);
	g_free(a);
}

static void
read_general(Loader *l, TwConfig *c)
{
	const Section *sec = g_hash_table_lookup(l->by_name, "general");
	char *v;

	if (sec == NULL)
		return;
	if (get_list(l, sec, "rules", TRUE, &c->rules)) {
		for (char **r = c->rules; *r; r++) {
			char *abs = resolve(l, *r);
			g_free(*r);
			*r = abs;
			check_exists(l, line_of(sec, "rules"), "rules", *r,
				     FALSE);
		}
	}
	if ((v = get_path(l, sec, "store")) != NULL) {
		g_free(c->store);
		c->store = v;
	}
	if ((v = get_path(l, sec, "archive")) != NULL)
		c->archive = v;
	int lang = get_enum(l, sec, "language", language_names, 0);
	g_free(c->language);
	c->language = g_strdup(language_names[lang]);

	if ((v = get_string(l, sec, "timezone")) != NULL) {
		GTimeZone *tz = g_time_zone_new_identifier(v);
		if (tz != NULL && !tz_database_name(v)) {
			problem(l, line_of(sec, "timezone"),
				"timezone: '%s' is not a name of the time zone "
				"database (such as Asia/Shanghai)",
				v);
			g_time_zone_unref(tz);
			g_free(v);
		} else if (tz == NULL) {
			problem(l, line_of(sec, "timezone"),
				"timezone: unknown time zone '%s'", v);
			g_free(v);
		} else {
			g_time_zone_unref(tz);
			c->timezone = v;
		}
	}
	c->authserv_id = get_string(l, sec, "authserv-id");
}

static void
read_limits(Loader *l, TwConfig *c)
{
	const Section *sec = g_hash_table_lookup(l->by_name, "limits");
	TwLimits *lim = &c->limits;
	gint64 budget = 0;

	if (sec == NULL)
		return;
	get_size(l, sec, "message-size", &lim->message_size);
	get_size(l, sec, "header-size", &lim->header_size);
	get_uint(l, sec, "mime-depth", 1, G_MAXUINT, &lim->mime_depth);
	get_uint(l, sec, "mime-parts", 1, G_MAXUINT, &lim->mime_parts);
	get_size(l, sec, "text-per-part", &lim->text_per_part);
	get_number(l, sec, "match-limit", 1, G_MAXUINT32, &lim->match_limit);
	get_size(l, sec, "jit-stack", &lim->jit_stack);
	if (lim->jit_stack > MAX_JIT_STACK)
		problem(l, line_of(sec, "jit-stack"), "jit-stack: at most %uM",
			MAX_JIT_STACK / (1024 * 1024));
	get_duration(l, sec, "rule-budget", &budget);
	if (budget > G_MAXINT64 / 1000)
		problem(l, line_of(sec, "rule-budget"),
			"rule-budget: too large");
	else if (budget > 0)
		lim->rule_budget_ms = budget * 1000;
}

static void
read_globals(Loader *l, TwConfig *c, gboolean *alert_to_set_r,
	     guint *deliver_line_r)
{
	const Section *sec;
	char *v;

	if ((sec = g_hash_table_lookup(l->by_name, "actions")) != NULL)
		get_actions(l, sec, &c->actions);
	if ((sec = g_hash_table_lookup(l->by_name, "identity")) != NULL)
		get_list(l, sec, "names", FALSE, &c->identity_names);

	if ((sec = g_hash_table_lookup(l->by_name, "digest")) != NULL) {
		get_list(l, sec, "to", FALSE, &c->digest_to);
		check_addresses(l, sec, "to", c->digest_to);
		c->digest_from = get_string(l, sec, "from");
		if (c->digest_from != NULL && !mail_address(c->digest_from))
			problem(l, line_of(sec, "from"),
				"from: '%s' is not a mail address",
				c->digest_from);
		if ((v = get_string(l, sec, "deliver")) != NULL) {
			g_free(c->digest_deliver);
			c->digest_deliver = v;
			*deliver_line_r = line_of(sec, "deliver");
		}
		c->smtp_user = get_string(l, sec, "smtp-user");
		c->smtp_password_command =
			get_string(l, sec, "smtp-password-command");
	}

	sec = g_hash_table_lookup(l->by_name, "alert");
	*alert_to_set_r = get_list(l, sec, "to", FALSE, &c->alert_to);
	if (*alert_to_set_r)
		check_addresses(l, sec, "to", c->alert_to);
	if (!*alert_to_set_r) {
		g_strfreev(c->alert_to);
		c->alert_to = g_strdupv(c->digest_to);
	}
	if (sec != NULL) {
		c->alert_command = get_string(l, sec, "command");
		get_duration(l, sec, "stale-after", &c->stale_after);
	}
}

static TwAccount *
read_account(Loader *l, const Section *sec, const TwConfig *c,
	     gboolean alert_to_set)
{
	TwAccount *a = g_new0(TwAccount, 1);
	char *v;

	a->name = g_strdup(sec->account);
	a->host = get_string(l, sec, "host");
	if (a->host != NULL && !host_name(a->host))
		problem(l, line_of(sec, "host"),
			"host: '%s' is not a host name (the port goes in port)",
			a->host);
	a->security =
		get_enum(l, sec, "security", security_names, TW_SECURITY_TLS);
	a->port = a->security == TW_SECURITY_TLS ? 993 : 143;
	get_uint(l, sec, "port", 1, 65535, &a->port);
	a->user = get_string(l, sec, "user");
	a->password_command = get_string(l, sec, "password-command");
	a->password_file = get_path(l, sec, "password-file");
	a->auth = get_enum(l, sec, "auth", auth_names, TW_AUTH_LOGIN);

	a->tls_ca_file = get_path(l, sec, "tls-ca-file");
	if (a->tls_ca_file != NULL)
		check_exists(l, line_of(sec, "tls-ca-file"), "tls-ca-file",
			     a->tls_ca_file, TRUE);
	if ((v = get_string(l, sec, "tls-fingerprint")) != NULL) {
		a->tls_fingerprint = normalise_fingerprint(v);
		if (a->tls_fingerprint == NULL)
			problem(l, line_of(sec, "tls-fingerprint"),
				"tls-fingerprint: expected the SHA-256 of the certificate as 64 hex digits (colons optional), not '%s'",
				v);
		g_free(v);
	}

	a->folders = g_strsplit(DEFAULT_FOLDERS, ";", -1);
	get_list(l, sec, "folders", TRUE, &a->folders);
	a->idle = TRUE;
	get_bool(l, sec, "idle", &a->idle);
	a->interval = DEFAULT_INTERVAL;
	get_seconds(l, sec, "interval", &a->interval);
	a->timeout = DEFAULT_TIMEOUT;
	get_seconds(l, sec, "timeout", &a->timeout);

	a->backfill = TW_BACKFILL_DURATION;
	a->backfill_seconds = DEFAULT_BACKFILL;
	if ((v = get_string(l, sec, "backfill")) != NULL) {
		if (strcmp(v, "all") == 0) {
			a->backfill = TW_BACKFILL_ALL;
			a->backfill_seconds = 0;
		} else if (strcmp(v, "none") == 0) {
			a->backfill = TW_BACKFILL_NONE;
			a->backfill_seconds = 0;
		} else if (!tw_util_parse_duration(v, &a->backfill_seconds,
						   NULL)) {
			problem(l, line_of(sec, "backfill"),
				"backfill: expected a duration (90d), all or none, not '%s'",
				v);
		} else if (a->backfill_seconds == 0) {
			problem(l, line_of(sec, "backfill"),
				"backfill: '%s' is no time at all (write none)",
				v);
		}
		g_free(v);
	}

	action_set_copy(&a->actions, &c->actions);
	get_actions(l, sec, &a->actions);
	a->identity = g_strdupv(c->identity_names);
	get_list(l, sec, "identity", FALSE, &a->identity);
	a->digest_to = g_strdupv(c->digest_to);
	if (get_list(l, sec, "digest-to", FALSE, &a->digest_to))
		check_addresses(l, sec, "digest-to", a->digest_to);
	/* an explicit [alert] to wins; else alerts follow this account's digest */
	a->alert_to = g_strdupv(alert_to_set ? c->alert_to : a->digest_to);
	if (get_list(l, sec, "alert-to", FALSE, &a->alert_to))
		check_addresses(l, sec, "alert-to", a->alert_to);

	/* whole-account checks, on the header line unless a key is to blame */
	if (!has_key(sec, "host"))
		problem(l, sec->line, "account '%s' has no host", a->name);
	if (!has_key(sec, "user"))
		problem(l, sec->line, "account '%s' has no user", a->name);
	gboolean has_cmd = has_key(sec, "password-command");
	gboolean has_file = has_key(sec, "password-file");
	if (!has_cmd && !has_file)
		problem(l, sec->line,
			"account '%s' has neither password-command nor password-file (set one)",
			a->name);
	else if (has_cmd && has_file)
		problem(l,
			MAX(line_of(sec, "password-command"),
			    line_of(sec, "password-file")),
			"account '%s' has both password-command and password-file (set one)",
			a->name);
	if (a->password_file != NULL)
		check_password_file(l, line_of(sec, "password-file"),
				    a->password_file);
	if (a->auth == TW_AUTH_XOAUTH2 && has_file && !has_cmd)
		problem(l, line_of(sec, "auth"),
			"auth: xoauth2 needs password-command to fetch a fresh token, not password-file");
	/* a password in clear text must not leave the machine */
	if (a->security == TW_SECURITY_NONE && a->host != NULL &&
	    !tw_util_host_is_loopback(a->host))
		problem(l, line_of(sec, "security"),
			"security: none is allowed for a loopback host only, not '%s' (use tls or starttls)",
			a->host);
	return a;
}

/* ---- the configuration ------------------------------------------------- */

/* where XDG_STATE_HOME says, else ~/.local/state */
static char *
user_state_dir(void)
{
	return g_strdup(g_get_user_state_dir());
}

static TwConfig *
config_new(const char *default_rules)
{
	TwConfig *c = g_new0(TwConfig, 1);
	g_autofree char *state = user_state_dir();

	c->rules = g_new0(char *, 2);
	c->rules[0] = g_strdup(default_rules);
	c->store = g_build_filename(state, "trowatch", "trowatch.db", NULL);
	c->language = g_strdup("en");
	c->accounts = g_ptr_array_new_with_free_func(account_free);
	for (int i = 0; i < TW_SEVERITY_COUNT; i++)
		c->actions.actions[i] =
			tw_engine_actions_parse(default_actions[i], NULL);
	c->identity_names = g_new0(char *, 1);
	c->digest_to = g_new0(char *, 1);
	c->digest_deliver = g_strdup(DEFAULT_DELIVER);
	c->alert_to = g_new0(char *, 1);
	c->stale_after = DEFAULT_STALE_AFTER;
	tw_limits_init(&c->limits);
	return c;
}

/* The archive is a Maildir beside the store unless it is set. */
static void
config_finish(TwConfig *c)
{
	if (c->archive == NULL) {
		g_autofree char *dir = g_path_get_dirname(c->store);
		c->archive = g_build_filename(dir, "archive", NULL);
	}
}

void
tw_engine_config_free(TwConfig *c)
{
	if (c == NULL)
		return;
	g_free(c->file);
	g_strfreev(c->rules);
	g_free(c->store);
	g_free(c->archive);
	g_free(c->language);
	g_free(c->timezone);
	g_free(c->authserv_id);
	if (c->accounts != NULL)
		g_ptr_array_unref(c->accounts);
	action_set_clear(&c->actions);
	g_strfreev(c->identity_names);
	g_strfreev(c->digest_to);
	g_free(c->digest_from);
	g_free(c->digest_deliver);
	g_free(c->smtp_user);
	g_free(c->smtp_password_command);
	g_strfreev(c->alert_to);
	g_free(c->alert_command);
	g_free(c);
}

/* The whole file, as valid UTF-8 text; FALSE with @error naming the file. */
static gboolean
read_text(const char *path, char **text_r, GError **error)
{
	struct stat st;
	gsize len;
	const char *end;

	if (stat(path, &st) != 0) {
		int e = errno;
		g_set_error(error, TW_ERROR, TW_ERROR_CONFIG, "%s: %s", path,
			    e == ENOENT ? "no such file" : g_strerror(e));
		return FALSE;
	}
	if (S_ISDIR(st.st_mode)) {
		g_set_error(error, TW_ERROR, TW_ERROR_CONFIG,
			    "%s: is a directory, not a configuration file",
			    path);
		return FALSE;
	}
	if (S_ISREG(st.st_mode) && st.st_size > MAX_FILE_SIZE) {
		g_set_error(error, TW_ERROR, TW_ERROR_CONFIG,
			    "%s: too large for a configuration file (over 1M)",
			    path);
		return FALSE;
	}
	g_autoptr(GError) read_error = NULL;
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, &len, &read_error)) {
		g_set_error(error, TW_ERROR, TW_ERROR_CONFIG,
			    "%s: cannot read: %s", path, read_error->message);
		return FALSE;
	}
	if (!g_utf8_validate(text, len, &end)) {
		guint line = 1;
		for (const char *p = text; p < end; p++)
			line += *p == '\n';
		g_set_error(error, TW_ERROR, TW_ERROR_CONFIG,
			    "%s:%u: not valid UTF-8 text", path, line);
		return FALSE;
	}
	*text_r = g_steal_pointer(&text);
	return TRUE;
}

static void
loader_clear(Loader *l)
{
	g_free(l->dir);
	g_array_unref(l->problems);
	g_ptr_array_unref(l->sections);
	g_hash_table_unref(l->by_name);
	g_key_file_unref(l->keyfile);
}

static void
set_problems(Loader *l, GError **error)
{
	GString *msg = g_string_new(NULL);

	g_array_sort(l->problems, problem_cmp);
	for (guint i = 0; i < l->problems->len; i++) {
		const Problem *p = &g_array_index(l->problems, Problem, i);
		if (i == MAX_PROBLEMS) {
			g_string_append_printf(
				msg, "%s: %u more errors not shown\n", l->file,
				l->problems->len - MAX_PROBLEMS);
			break;
		}
		if (p->line > 0)
			g_string_append_printf(msg, "%s:%u: %s\n", l->file,
					       p->line, p->text);
		else
			g_string_append_printf(msg, "%s: %s\n", l->file,
					       p->text);
	}
	g_string_truncate(msg, msg->len - 1);
	g_set_error_literal(error, TW_ERROR, TW_ERROR_CONFIG, msg->str);
	g_string_free(msg, TRUE);
}

TwConfig *
tw_engine_config_load(const char *path, const char *default_rules,
		      GError **error)
{
	g_autoptr(TwConfig) c = config_new(default_rules);
	g_autofree char *text = NULL;
	g_autofree char *clean = NULL;
	g_autoptr(GError) kf_error = NULL;
	gboolean alert_to_set = FALSE;
	guint deliver_line = 0;

	if (path == NULL) {
		config_finish(c);
		return g_steal_pointer(&c);
	}
	if (!read_text(path, &text, error))
		return NULL;
	c->file = g_strdup(path);

	g_autofree char *dir = g_path_get_dirname(path);
	Loader l = {
		.file = path,
		.dir = g_canonicalize_filename(dir, NULL),
		.problems = g_array_new(FALSE, FALSE, sizeof(Problem)),
		.sections = g_ptr_array_new_with_free_func(section_free),
		.by_name = g_hash_table_new(g_str_hash, g_str_equal),
		.keyfile = g_key_file_new(),
	};
	g_array_set_clear_func(l.problems, problem_clear);

	clean = prescan(&l, text);
	if (!g_key_file_load_from_data(l.keyfile, clean, -1, G_KEY_FILE_NONE,
				       &kf_error)) {
		/* the pre-scan passes only what GKeyFile accepts */
		problem(&l, 0, "%s", kf_error->message);
	} else {
		read_general(&l, c);
		read_limits(&l, c);
		read_globals(&l, c, &alert_to_set, &deliver_line);
		for (guint i = 0; i < l.sections->len; i++) {
			const Section *sec = l.sections->pdata[i];
			if (sec->account == NULL)
				continue;
			g_ptr_array_add(c->accounts,
					read_account(&l, sec, c, alert_to_set));
		}
		if (deliver_line > 0)
			check_deliver(&l, deliver_line, c->digest_deliver,
				      c->accounts);
		config_finish(c);
	}
	if (l.problems->len > 0) {
		set_problems(&l, error);
		g_clear_pointer(&c, tw_engine_config_free);
	}
	loader_clear(&l);
	return g_steal_pointer(&c);
}

char *
tw_engine_config_find(const char *explicit_path, const char *sysconfdir)
{
	const char *env = g_getenv("TROWATCH_CONFIG");

	if (explicit_path != NULL && *explicit_path != '\0')
		return g_strdup(explicit_path);
	if (env != NULL && *env != '\0')
		return g_strdup(env);

	/* read each time: g_get_user_config_dir() caches the first answer */
	const char *xdg = g_getenv("XDG_CONFIG_HOME");
	g_autofree char *user = g_build_filename(
		xdg != NULL && *xdg != '\0' ? xdg : g_get_user_config_dir(),
		"trowatch", "trowatch.conf", NULL);
	if (g_file_test(user, G_FILE_TEST_EXISTS))
		return g_steal_pointer(&user);
	if (sysconfdir != NULL) {
		g_autofree char *sys = g_build_filename(sysconfdir, "trowatch",
							"trowatch.conf", NULL);
		if (g_file_test(sys, G_FILE_TEST_EXISTS))
			return g_steal_pointer(&sys);
	}
	return NULL;
}

/* ---- dump -------------------------------------------------------------- */

/* "key = value"; an unset key as a comment, so that every key shows. */
static void
put(GString *out, const char *key, const char *value, const char *unset)
{
	if (value == NULL)
		g_string_append_printf(out, "# %s = (%s)\n", key, unset);
	else if (*value == '\0')
		g_string_append_printf(out, "%s =\n", key);
	else
		g_string_append_printf(out, "%s = %s\n", key, value);
}

static void
put_list(GString *out, const char *key, char *const *list)
{
	g_autofree char *v = g_strjoinv(";", (char **)list);

	put(out, key, v, NULL);
}

static void
put_uint(GString *out, const char *key, guint64 n)
{
	g_string_append_printf(out, "%s = %" G_GUINT64_FORMAT "\n", key, n);
}

static void
put_size(GString *out, const char *key, guint64 n)
{
	g_autofree char *v = tw_util_format_size(n);

	put(out, key, v, NULL);
}

static void
put_duration(GString *out, const char *key, gint64 seconds)
{
	g_autofree char *v = tw_util_format_duration(seconds);

	put(out, key, v, NULL);
}

static void
put_actions(GString *out, const TwActionSet *set)
{
	for (int i = TW_SEVERITY_CRITICAL; i > TW_SEVERITY_NONE; i--) {
		g_autofree char *v = tw_engine_actions_format(set->actions[i]);
		put(out, tw_severity_name(i), v, NULL);
	}
}

static void
dump_account(const TwAccount *a, GString *out)
{
	g_string_append_printf(out, "\n[account %s]\n", a->name);
	put(out, "host", a->host, "unset");
	put_uint(out, "port", a->port);
	put(out, "security", security_names[a->security], NULL);
	put(out, "tls-ca-file", a->tls_ca_file, "unset: the system store");
	put(out, "tls-fingerprint", a->tls_fingerprint, "unset");
	put(out, "user", a->user, "unset");
	put(out, "password-command", a->password_command, "unset");
	put(out, "password-file", a->password_file, "unset");
	put(out, "auth", auth_names[a->auth], NULL);
	put_list(out, "folders", a->folders);
	put(out, "idle", a->idle ? "true" : "false", NULL);
	put_uint(out, "interval", a->interval);
	if (a->backfill == TW_BACKFILL_ALL)
		put(out, "backfill", "all", NULL);
	else if (a->backfill == TW_BACKFILL_NONE)
		put(out, "backfill", "none", NULL);
	else
		put_duration(out, "backfill", a->backfill_seconds);
	put_uint(out, "timeout", a->timeout);
	put_actions(out, &a->actions);
	put_list(out, "identity", a->identity);
	put_list(out, "digest-to", a->digest_to);
	put_list(out, "alert-to", a->alert_to);
}

void
tw_engine_config_dump(const TwConfig *c, GString *out)
{
	const TwLimits *lim = &c->limits;

	/* no file name here: a dump and the dump of the dump are the same */
	g_string_append(out, "# trowatch configuration: every key with its "
			     "value or default; see trowatch.conf(5)\n");

	g_string_append(out, "\n[general]\n");
	put_list(out, "rules", c->rules);
	put(out, "store", c->store, NULL);
	put(out, "archive", c->archive, NULL);
	put(out, "language", c->language, NULL);
	put(out, "timezone", c->timezone, "the system's");
	put(out, "authserv-id", c->authserv_id, "unset");

	for (guint i = 0; i < c->accounts->len; i++)
		dump_account(c->accounts->pdata[i], out);

	g_string_append(out, "\n[actions]\n");
	put_actions(out, &c->actions);

	g_string_append(out, "\n[identity]\n");
	put_list(out, "names", c->identity_names);

	g_string_append(out, "\n[digest]\n");
	put_list(out, "to", c->digest_to);
	put(out, "from", c->digest_from, "unset");
	put(out, "deliver", c->digest_deliver, NULL);
	put(out, "smtp-user", c->smtp_user, "unset");
	put(out, "smtp-password-command", c->smtp_password_command, "unset");

	g_string_append(out, "\n[alert]\n");
	put_list(out, "to", c->alert_to);
	put(out, "command", c->alert_command, "unset");
	put_duration(out, "stale-after", c->stale_after);

	g_string_append(out, "\n[limits]\n");
	put_size(out, "message-size", lim->message_size);
	put_size(out, "header-size", lim->header_size);
	put_uint(out, "mime-depth", lim->mime_depth);
	put_uint(out, "mime-parts", lim->mime_parts);
	put_size(out, "text-per-part", lim->text_per_part);
	put_uint(out, "match-limit", lim->match_limit);
	put_size(out, "jit-stack", lim->jit_stack);
	/* read in whole seconds; round up anything set otherwise */
	put_duration(out, "rule-budget", (lim->rule_budget_ms + 999) / 1000);
}
