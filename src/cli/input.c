/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan's inputs: files, directories, Maildirs, mbox files and stdin. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "trowatch/mail.h"
#include "trowatch/util.h"

static void
fail(TwInputs *in, int status, const char *path, const char *why)
{
	tw_error("%s: %s", path, why);
	in->status = MAX(in->status, status);
}

static gboolean
is_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static gboolean
is_maildir(const char *path)
{
	g_autofree char *cur = g_build_filename(path, "cur", NULL);
	g_autofree char *new = g_build_filename(path, "new", NULL);
	return is_dir(cur) && is_dir(new);
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Why @path cannot be read: GLib's errors keep no errno, and errno is not
 * kept past them, so ask again. */
static const char *
unreadable(const char *path, int mode)
{
	return g_strerror(access(path, mode) != 0 ? errno : EIO);
}

static GPtrArray *
sorted_entries(TwInputs *in, const char *dir)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (d == NULL) {
		fail(in, EX_NOINPUT, dir, unreadable(dir, R_OK | X_OK));
		return names;
	}
	while ((name = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, compare_names);
	return names;
}

static void add_path(TwInputs *in, const char *path, gboolean explicit);

static void
add_directory(TwInputs *in, const char *dir)
{
	gboolean maildir = is_maildir(dir);
	g_autoptr(GPtrArray) names = sorted_entries(in, dir);

	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (maildir) {
			/* messages live in cur/ and new/; tmp/ is unfinished
			 * deliveries; Maildir++ folders are ".Name" */
			if (strcmp(name, "cur") == 0 ||
			    strcmp(name, "new") == 0 ||
			    (name[0] == '.' && is_dir(path) &&
			     is_maildir(path)))
				add_path(in, path, FALSE);
			continue;
		}
		if (name[0] == '.')
			continue;
		add_path(in, path, FALSE);
	}
}

static void
add_path(TwInputs *in, const char *path, gboolean explicit)
{
	struct stat st;

	gboolean walked = !explicit;
	if (strcmp(path, "-") == 0 && explicit) {
		g_ptr_array_add(in->files, g_strdup(path));
		g_array_append_val(in->walked, walked);
		return;
	}
	/* explicit arguments may be links; links met in a walk are not
	 * followed into directories, so a walk cannot loop */
	if ((explicit ? stat(path, &st) : lstat(path, &st)) != 0) {
		fail(in, EX_NOINPUT, path, g_strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		add_directory(in, path);
	} else if (S_ISREG(st.st_mode) ||
		   (S_ISLNK(st.st_mode) && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode))) {
		g_ptr_array_add(in->files, g_strdup(path));
		g_array_append_val(in->walked, walked);
	} else if (explicit) {
		fail(in, EX_NOINPUT, path, "not a file or directory");
	}
}

void
tw_cli_inputs_init(TwInputs *in, char **paths, guint64 message_size)
{
	*in = (TwInputs){0};
	in->files = g_ptr_array_new_with_free_func(g_free);
	in->walked = g_array_new(FALSE, FALSE, sizeof(gboolean));
	in->limit = message_size + 1;
	in->offsets = g_array_new(FALSE, FALSE, sizeof(gsize));
	for (char **p = paths; *p; p++)
		add_path(in, *p, TRUE);
}

void
tw_cli_inputs_deinit(TwInputs *in)
{
	g_ptr_array_unref(in->files);
	g_array_unref(in->walked);
	if (in->map != NULL)
		g_mapped_file_unref(in->map);
	if (in->stdin_bytes != NULL)
		g_bytes_unref(in->stdin_bytes);
	g_array_unref(in->offsets);
	g_free(in->label);
}

/* stdin, keeping at most @limit bytes and draining the rest */
static GBytes *
read_stdin(guint64 limit, GError **error)
{
	GByteArray *buf = g_byte_array_new();
	guint8 chunk[65536];

	for (;;) {
		ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, TW_ERROR, TW_ERROR_IO, "%s",
				    g_strerror(errno));
			g_byte_array_unref(buf);
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len < limit)
			g_byte_array_append(
				buf, chunk,
				(guint)MIN((guint64)n, limit - buf->len));
	}
	return g_byte_array_free_to_bytes(buf);
}

/*
 * TRUE when the line at @p looks like an mbox separator: "From " then a
 * sender and a date with a time ("From a@b Mon Jul 14 10:00:00 2025").
 * Writers escape body lines that start with "From ", but not all of them
 * do; "From here on" in a body has no time, so it stays in its message.
 */
static gboolean
is_separator(const char *p, const char *end)
{
	const char *eol = memchr(p, '\n', end - p);
	if (eol == NULL)
		eol = end;
	if (eol - p < 5 || memcmp(p, "From ", 5) != 0)
		return FALSE;
	for (const char *q = p + 5; q + 5 <= eol; q++)
		if (g_ascii_isdigit(q[0]) && g_ascii_isdigit(q[1]) &&
		    q[2] == ':' && g_ascii_isdigit(q[3]) &&
		    g_ascii_isdigit(q[4]))
			return TRUE;
	return FALSE;
}

/*
 * Split an mbox: a message starts at a separator line that is the first
 * line or follows an empty line.  The separator line stays with its
 * message (the view skips it).
 */
static void
split_mbox(GArray *offsets, const char *data, gsize len)
{
	gsize start = 0;
	for (gsize i = 0; i + 5 <= len; i++) {
		if (data[i] != '\n' || !is_separator(data + i + 1, data + len))
			continue;
		gboolean after_blank =
			(i >= 1 && data[i - 1] == '\n') ||
			(i >= 2 && data[i - 1] == '\r' && data[i - 2] == '\n');
		if (!after_blank)
			continue;
		gsize end = i + 1;
		g_array_append_val(offsets, start);
		g_array_append_val(offsets, end);
		start = i + 1;
	}
	g_array_append_val(offsets, start);
	g_array_append_val(offsets, len);
}

/* Open the next file into in->offsets; FALSE when there is none. */
static gboolean
open_next_file(TwInputs *in)
{
	if (in->map != NULL)
		g_clear_pointer(&in->map, g_mapped_file_unref);
	if (in->stdin_bytes != NULL)
		g_clear_pointer(&in->stdin_bytes, g_bytes_unref);
	g_array_set_size(in->offsets, 0);
	in->next_message = 0;

	while (in->next_file < in->files->len) {
		const char *path =
			g_ptr_array_index(in->files, in->next_file++);
		g_autoptr(GError) error = NULL;
		const char *data;
		gsize len;

		if (strcmp(path, "-") == 0) {
			in->stdin_bytes = read_stdin(in->limit, &error);
			if (in->stdin_bytes == NULL) {
				fail(in, EX_NOINPUT, "-", error->message);
				continue;
			}
			data = g_bytes_get_data(in->stdin_bytes, &len);
			gsize zero = 0;
			g_array_append_val(in->offsets, zero);
			g_array_append_val(in->offsets, len);
			return TRUE;
		}
		in->map = g_mapped_file_new(path, FALSE, &error);
		if (in->map == NULL) {
			fail(in, EX_NOINPUT, path, unreadable(path, R_OK));
			continue;
		}
		data = g_mapped_file_get_contents(in->map);
		len = g_mapped_file_get_length(in->map);
		if (len >= 5 && memcmp(data, "From ", 5) == 0) {
			split_mbox(in->offsets, data, len);
		} else {
			gsize zero = 0;
			g_array_append_val(in->offsets, zero);
			g_array_append_val(in->offsets, len);
		}
		return TRUE;
	}
	return FALSE;
}

gboolean
tw_cli_inputs_next(TwInputs *in, TwInputMessage *msg_r)
{
	for (;;) {
		if (in->next_message * 2 >= in->offsets->len &&
		    !open_next_file(in))
			return FALSE;

		const char *path =
			g_ptr_array_index(in->files, in->next_file - 1);
		const char *base;
		gsize len;
		if (in->stdin_bytes != NULL)
			base = g_bytes_get_data(in->stdin_bytes, &len);
		else
			base = in->map ? g_mapped_file_get_contents(in->map)
				       : NULL;
		guint index = in->next_message++;
		gsize start = g_array_index(in->offsets, gsize, index * 2);
		gsize end = g_array_index(in->offsets, gsize, index * 2 + 1);
		guint count = in->offsets->len / 2;

		g_free(in->label);
		in->label = count > 1
				    ? g_strdup_printf("%s:%u", path, index + 1)
				    : g_strdup(path);
		const char *data = base ? base + start : "";
		gsize n = end - start;
		if (!tw_mail_looks_like_mail(data, n)) {
			if (g_array_index(in->walked, gboolean,
					  in->next_file - 1))
				tw_warning("%s: skipped: not a mail message",
					   in->label);
			else
				fail(in, EX_DATAERR, in->label,
				     "not a mail message");
			continue;
		}
		msg_r->label = in->label;
		msg_r->path = strcmp(path, "-") == 0 ? NULL : path;
		msg_r->data = data;
		msg_r->len = (gsize)MIN((guint64)n, in->limit);
		return TRUE;
	}
}
