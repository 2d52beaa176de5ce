/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The message view: construction and destruction. */
#include "config.h"

#include "trowatch/model.h"

static void
address_free(gpointer p)
{
	TwAddress *a = p;
	g_free(a->name);
	g_free(a->addr);
	g_free(a->domain);
	g_free(a->registrable);
	g_free(a->display);
	g_free(a);
}

static void
header_free(gpointer p)
{
	TwHeader *h = p;
	g_free(h->name);
	g_free(h->value);
	g_free(h->raw);
	g_free(h);
}

static void
uri_free(gpointer p)
{
	TwUri *u = p;
	g_free(u->uri);
	g_free(u->host);
	g_free(u->registrable);
	g_free(u);
}

static void
attachment_free(gpointer p)
{
	TwAttachment *a = p;
	g_free(a->name);
	g_free(a->type);
	g_free(a);
}

static void
part_free(gpointer p)
{
	TwPart *part = p;
	g_free(part->id);
	g_free(part->type);
	g_free(part->charset);
	g_free(part->used_charset);
	g_free(part->encoding);
	g_free(part->filename);
	g_free(part);
}

TwView *
tw_view_new(void)
{
	TwView *view = g_new0(TwView, 1);
	view->headers = g_ptr_array_new_with_free_func(header_free);
	view->subject = g_strdup("");
	view->from = g_ptr_array_new_with_free_func(address_free);
	view->to = g_ptr_array_new_with_free_func(address_free);
	view->reply_to = g_ptr_array_new_with_free_func(address_free);
	view->return_path = g_ptr_array_new_with_free_func(address_free);
	view->rawbody = g_strdup("");
	view->body = g_strdup("");
	view->uris = g_ptr_array_new_with_free_func(uri_free);
	view->attachments = g_ptr_array_new_with_free_func(attachment_free);
	view->parts = g_ptr_array_new_with_free_func(part_free);
	return view;
}

void
tw_view_free(TwView *view)
{
	if (view == NULL)
		return;
	g_ptr_array_unref(view->headers);
	g_free(view->subject);
	g_free(view->message_id);
	g_free(view->date);
	g_ptr_array_unref(view->from);
	g_ptr_array_unref(view->to);
	g_ptr_array_unref(view->reply_to);
	g_ptr_array_unref(view->return_path);
	g_free(view->rawbody);
	g_free(view->body);
	g_ptr_array_unref(view->uris);
	g_ptr_array_unref(view->attachments);
	g_ptr_array_unref(view->parts);
	g_free(view);
}

const TwHeader *
tw_view_header(const TwView *view, const char *name)
{
	for (guint i = 0; i < view->headers->len; i++) {
		const TwHeader *h = g_ptr_array_index(view->headers, i);
		if (g_ascii_strcasecmp(h->name, name) == 0)
			return h;
	}
	return NULL;
}
