/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTML to text with libxml2's forgiving HTML parser; link targets kept. */
#include "config.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>

#include "mail-private.h"

typedef enum { KIND_INLINE, KIND_BLOCK, KIND_CELL, KIND_SKIP } Kind;

static Kind
element_kind(const char *name)
{
	static const char *const skip[] = {"script",   "style",	   "head",
					   "template", "noscript", NULL};
	static const char *const block[] = {
		"p",	   "div",     "br",	    "tr",     "li",
		"h1",	   "h2",      "h3",	    "h4",     "h5",
		"h6",	   "table",   "blockquote", "pre",    "hr",
		"ul",	   "ol",      "dl",	    "dt",     "dd",
		"section", "article", "header",	    "footer", "address",
		"center",  "form",    "title",	    "tbody",  "thead",
		"tfoot",   "caption", "fieldset",   "nav",    "main",
		"aside",   "figure",  "figcaption", "body",   "html",
		NULL};

	for (guint i = 0; skip[i]; i++)
		if (g_ascii_strcasecmp(name, skip[i]) == 0)
			return KIND_SKIP;
	for (guint i = 0; block[i]; i++)
		if (g_ascii_strcasecmp(name, block[i]) == 0)
			return KIND_BLOCK;
	if (g_ascii_strcasecmp(name, "td") == 0 ||
	    g_ascii_strcasecmp(name, "th") == 0)
		return KIND_CELL;
	return KIND_INLINE;
}

static void
newline(GString *out)
{
	if (out->len > 0 && out->str[out->len - 1] != '\n')
		g_string_append_c(out, '\n');
}

static void
add_link(xmlNode *node, const char *attr, GPtrArray *uris, GHashTable *seen)
{
	xmlChar *href = xmlGetProp(node, (const xmlChar *)attr);
	if (href == NULL)
		return;
	const char *h = (const char *)href;
	while (*h == ' ' || *h == '\t' || *h == '\n' || *h == '\r')
		h++;
	/* links, not anchors, scripts or mail addresses */
	if (g_ascii_strncasecmp(h, "http:", 5) == 0 ||
	    g_ascii_strncasecmp(h, "https:", 6) == 0 ||
	    g_ascii_strncasecmp(h, "ftp:", 4) == 0 ||
	    g_ascii_strncasecmp(h, "www.", 4) == 0)
		tw_mail_uri_add(uris, seen, h);
	xmlFree(href);
}

/*
 * Walk the tree without recursion: libxml2 bounds the depth of what it
 * builds, but an explicit walk costs nothing and needs no such promise.
 */
static void
walk(xmlNode *root, GString *out, GPtrArray *uris, GHashTable *seen)
{
	xmlNode *node = root;

	while (node != NULL) {
		gboolean descend = FALSE;

		if (node->type == XML_TEXT_NODE ||
		    node->type == XML_CDATA_SECTION_NODE) {
			if (node->content != NULL)
				g_string_append(out,
						(const char *)node->content);
		} else if (node->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)node->name;
			Kind kind = element_kind(name);
			if (kind == KIND_BLOCK)
				newline(out);
			else if (kind == KIND_CELL)
				g_string_append_c(out, '\t');
			if (g_ascii_strcasecmp(name, "a") == 0 ||
			    g_ascii_strcasecmp(name, "area") == 0)
				add_link(node, "href", uris, seen);
			descend = kind != KIND_SKIP && node->children != NULL;
		}

		if (descend) {
			node = node->children;
			continue;
		}
		/* up until there is a next sibling, closing blocks on the way */
		while (node != NULL && node != root && node->next == NULL) {
			node = node->parent;
			if (node != NULL && node->type == XML_ELEMENT_NODE &&
			    element_kind((const char *)node->name) ==
				    KIND_BLOCK)
				newline(out);
		}
		if (node == NULL || node == root)
			break;
		node = node->next;
	}
}

char *
tw_mail_html_to_text(const char *html, gsize len, GPtrArray *uris,
		     GHashTable *seen)
{
	GString *out = g_string_new(NULL);

	if (len == 0 || len > G_MAXINT)
		return g_string_free(out, FALSE);
	htmlDocPtr doc =
		htmlReadMemory(html, (int)len, NULL, "UTF-8",
			       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				       HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc != NULL) {
		xmlNode *root = xmlDocGetRootElement(doc);
		if (root != NULL)
			walk(root, out, uris, seen);
		xmlFreeDoc(doc);
	}
	/* blank lines before the first block and after the last say nothing */
	char *text = g_strstrip(g_string_free(out, FALSE));
	if (!g_utf8_validate(text, -1, NULL)) {
		char *valid = g_utf8_make_valid(text, -1);
		g_free(text);
		text = valid;
	}
	return text;
}
