/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * engine: configuration and policy.  This header is the contract for the
 * configuration of product.md ("Configuration", "Limits"): it is loaded and
 * validated once per process and immutable afterwards.
 */
#ifndef TROWATCH_ENGINE_H
#define TROWATCH_ENGINE_H

#include <glib.h>

#include "trowatch/model.h"

G_BEGIN_DECLS

typedef enum {
	TW_ACTION_KEYWORD, /* keyword:$Name */
	TW_ACTION_COPY,	   /* copy:Folder/Sub */
	TW_ACTION_MOVE,	   /* move:Folder */
	TW_ACTION_ARCHIVE, /* archive */
	TW_ACTION_ALERT,   /* alert */
} TwActionKind;

typedef struct {
	TwActionKind kind;
	char *arg; /* keyword or folder; NULL for archive and alert */
} TwAction;

/* Actions per severity; actions[TW_SEVERITY_NONE] is always empty. */
typedef struct {
	GPtrArray *actions[TW_SEVERITY_COUNT]; /* TwAction* */
} TwActionSet;

typedef enum {
	TW_SECURITY_TLS,
	TW_SECURITY_STARTTLS,
	TW_SECURITY_NONE,
} TwSecurity;

typedef enum {
	TW_AUTH_LOGIN,
	TW_AUTH_PLAIN,
	TW_AUTH_XOAUTH2,
} TwAuth;

typedef enum {
	TW_BACKFILL_DURATION, /* backfill_seconds back from the first run */
	TW_BACKFILL_ALL,
	TW_BACKFILL_NONE,
} TwBackfill;

typedef struct {
	char *name; /* from [account NAME] */
	char *host;
	guint port; /* 993 for tls, 143 otherwise, unless set */
	TwSecurity security;
	char *tls_ca_file;     /* or NULL: the system store */
	char *tls_fingerprint; /* 64 lower-case hex digits, or NULL */
	char *user;
	char *password_command; /* exactly one of these two is set */
	char *password_file;
	TwAuth auth;
	char **folders; /* UTF-8 names; "\\Junk" for the special-use folder */
	gboolean idle;
	guint interval; /* seconds */
	TwBackfill backfill;
	gint64 backfill_seconds;
	guint timeout;	     /* seconds */
	TwActionSet actions; /* the account's own, else a copy of [actions] */
	char **identity;     /* NULL-terminated, never NULL */
	char **digest_to;    /* NULL-terminated, never NULL */
	char **alert_to;     /* NULL-terminated, never NULL */
} TwAccount;

typedef struct {
	char *file; /* the file read, or NULL when no file was found */

	/* [general] */
	char **rules; /* NULL-terminated paths, never NULL */
	char *store;
	char *archive;
	char *language; /* "en" or "zh" */
	char *timezone; /* an IANA name, or NULL for the system's */
	char *authserv_id;

	GPtrArray *accounts;   /* TwAccount*, in file order */
	TwActionSet actions;   /* [actions] */
	char **identity_names; /* [identity] names, NULL-terminated */

	/* [digest] */
	char **digest_to;
	char *digest_from;
	char *digest_deliver;
	char *smtp_user;
	char *smtp_password_command;

	/* [alert] */
	char **alert_to; /* defaults to digest_to */
	char *alert_command;
	gint64 stale_after; /* seconds */

	TwLimits limits;
} TwConfig;

/*
 * Where the configuration is: @explicit_path (from --config) if not NULL,
 * else $TROWATCH_CONFIG if set and not empty, else
 * $XDG_CONFIG_HOME/trowatch/trowatch.conf, else @sysconfdir/trowatch/trowatch.conf.
 * Returns a newly allocated path.  An explicit path (option or variable) is
 * returned whether or not it exists, so that loading it reports the error;
 * a search that finds no file returns NULL.
 */
char *tw_engine_config_find(const char *explicit_path, const char *sysconfdir);

/*
 * Load and validate the configuration in @path, or the defaults when @path is
 * NULL.  @default_rules is the rules path used when [general] rules is unset.
 * On error returns NULL and sets a TW_ERROR_CONFIG error whose message lists
 * every problem found, one per line, each as "FILE:LINE: message" (the file
 * alone when no line applies).  The caller owns the result.
 */
TwConfig *tw_engine_config_load(const char *path, const char *default_rules,
				GError **error);
void tw_engine_config_free(TwConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TwConfig, tw_engine_config_free)

/*
 * Every section and key with its value or its default, in the INI syntax
 * it was read in (an [account NAME] section per account), appended to @out.
 * Loading the output again gives the same configuration.
 */
void tw_engine_config_dump(const TwConfig *config, GString *out);

/* Parse an action list ("keyword:$TroCritical;copy:TRO/Critical;archive"). */
GPtrArray *tw_engine_actions_parse(const char *text, GError **error);
char *tw_engine_actions_format(const GPtrArray *actions);

G_END_DECLS

#endif
