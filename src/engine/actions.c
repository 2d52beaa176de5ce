/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Action lists of the configuration: "keyword:$TroHigh;copy:TRO/High". */
#include "config.h"

#include <string.h>

#include "trowatch/engine.h"
#include "trowatch/util.h"

static const char action_syntax[] =
	"expected keyword:$NAME, copy:FOLDER, move:FOLDER, archive or alert";

static void
action_free(gpointer data)
{
	TwAction *action = data;

	g_free(action->arg);
	g_free(action);
}

/*
 * RFC 9051 flag-keyword = atom: 7-bit item characters other than
 * atom-specials.  "\" is excluded too, so a keyword can never pose as a
 * system flag such as \Seen or \Deleted.
 */
static gboolean
is_keyword(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("()\"{%*\\]", *p))
			return FALSE;
	return TRUE;
}

/* A folder name goes into IMAP commands and Maildir paths: no controls. */
static gboolean
is_folder(const char *s)
{
	if (*s == '\0' || !g_utf8_validate(s, -1, NULL))
		return FALSE;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return FALSE;
	return TRUE;
}

static char *
format_one(const TwAction *action)
{
	switch (action->kind) {
	case TW_ACTION_KEYWORD:
		return g_strconcat("keyword:", action->arg, NULL);
	case TW_ACTION_COPY:
		return g_strconcat("copy:", action->arg, NULL);
	case TW_ACTION_MOVE:
		return g_strconcat("move:", action->arg, NULL);
	case TW_ACTION_ARCHIVE:
		return g_strdup("archive");
	case TW_ACTION_ALERT:
		return g_strdup("alert");
	}
	g_assert_not_reached();
}

/* One item, already trimmed; NULL with @error set when it is not an action. */
static TwAction *
parse_one(const char *item, GError **error)
{
	TwActionKind kind;
	const char *arg = NULL;

	if (g_str_has_prefix(item, "keyword:")) {
		kind = TW_ACTION_KEYWORD;
		arg = item + strlen("keyword:");
		if (!is_keyword(arg)) {
			g_set_error(
				error, TW_ERROR, TW_ERROR_CONFIG,
				"bad keyword in action '%s' (an IMAP atom: no spaces, controls, non-ASCII or ()\"{%%*\\] characters)",
				item);
			return NULL;
		}
	} else if (g_str_has_prefix(item, "copy:") ||
		   g_str_has_prefix(item, "move:")) {
		kind = item[0] == 'c' ? TW_ACTION_COPY : TW_ACTION_MOVE;
		arg = item + strlen("copy:");
		if (!is_folder(arg)) {
			g_set_error(
				error, TW_ERROR, TW_ERROR_CONFIG,
				"bad folder in action '%s' (expected a non-empty UTF-8 name without control characters)",
				item);
			return NULL;
		}
	} else if (strcmp(item, "archive") == 0) {
		kind = TW_ACTION_ARCHIVE;
	} else if (strcmp(item, "alert") == 0) {
		kind = TW_ACTION_ALERT;
	} else {
		g_set_error(error, TW_ERROR, TW_ERROR_CONFIG,
			    "bad action '%s' (%s)", item, action_syntax);
		return NULL;
	}

	TwAction *action = g_new0(TwAction, 1);
	action->kind = kind;
	action->arg = g_strdup(arg);
	return action;
}

GPtrArray *
tw_engine_actions_parse(const char *text, GError **error)
{
	g_autoptr(GPtrArray) actions =
		g_ptr_array_new_with_free_func(action_free);
	g_auto(GStrv) items = g_strsplit(text, ";", -1);
	gboolean moved = FALSE;

	for (char **i = items; *i; i++) {
		char *item = g_strstrip(*i);

		/* "a;;b" and a trailing ";" are harmless, as in GKeyFile lists */
		if (*item == '\0')
			continue;
		TwAction *action = parse_one(item, error);
		if (action == NULL)
			return NULL;
		g_ptr_array_add(actions, action);

		for (guint j = 0; j + 1 < actions->len; j++) {
			const TwAction *prev = actions->pdata[j];
			if (prev->kind == action->kind &&
			    g_strcmp0(prev->arg, action->arg) == 0) {
				g_set_error(error, TW_ERROR, TW_ERROR_CONFIG,
					    "duplicate action '%s'", item);
				return NULL;
			}
		}
		/* after the first move the message is gone from the folder */
		if (action->kind == TW_ACTION_MOVE) {
			if (moved) {
				g_set_error(
					error, TW_ERROR, TW_ERROR_CONFIG,
					"second move action '%s' (a message can be moved once)",
					item);
				return NULL;
			}
			moved = TRUE;
		}
	}
	return g_steal_pointer(&actions);
}

char *
tw_engine_actions_format(const GPtrArray *actions)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < actions->len; i++) {
		g_autofree char *one = format_one(actions->pdata[i]);
		if (i > 0)
			g_string_append_c(out, ';');
		g_string_append(out, one);
	}
	return g_string_free(out, FALSE);
}
