/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Raw message bytes to a TwView with GMime: headers, addresses, text, parts. */
#include "config.h"

#include <gmime/gmime.h>
#include <libxml/parser.h>
#include <string.h>

#include "mail-private.h"
#include "trowatch/mail.h"
#include "trowatch/util.h"

/* GMime 3.2 declares no cleanup functions of its own */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParserOptions, g_mime_parser_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(InternetAddressList, g_object_unref)

static gboolean initialized;

void
tw_mail_init(void)
{
	if (initialized)
		return;
	g_mime_init();
	xmlInitParser();
	tw_mail_domain_init();
	initialized = TRUE;
}

void
tw_mail_shutdown(void)
{
	if (!initialized)
		return;
	tw_mail_domain_shutdown();
	xmlCleanupParser();
	g_mime_shutdown();
	initialized = FALSE;
}

/* The maximum bytes before the first blank line that tw_mail_looks_like_mail reads. */
#define SNIFF_LIMIT (64 * 1024)

gboolean
tw_mail_looks_like_mail(const char *data, gsize len)
{
	const char *p = data;
	const char *end = data + MIN(len, SNIFF_LIMIT);

	/* an mbox separator line may precede the header */
	if (end - p >= 5 && memcmp(p, "From ", 5) == 0) {
		p = memchr(p, '\n', end - p);
		if (p == NULL)
			return FALSE;
		p++;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *line_end = eol ? eol : end;
		if (line_end > p && line_end[-1] == '\r')
			line_end--;
		if (line_end == p)
			return FALSE; /* the blank line: no field before it */
		/* a field name: printable ASCII but ':' and space, then ':'
		 * (RFC 5322 4.5.3: old mail may put white space before it) */
		const char *q = p;
		while (q<line_end && * q> ' ' && *q < 0x7f && *q != ':')
			q++;
		const char *name_end = q;
		while (q < line_end && (*q == ' ' || *q == '\t'))
			q++;
		if (name_end > p && q < line_end && *q == ':')
			return TRUE;
		/* folded continuation lines only follow a field */
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	return FALSE;
}

char *
tw_mail_header_field(const char *data, gsize len, const char *name)
{
	const char *end = data + MIN(len, SNIFF_LIMIT);
	const char *p = data;
	gsize n = strlen(name);

	if (end - p >= 5 && memcmp(p, "From ", 5) == 0) {
		p = memchr(p, '\n', end - p);
		p = p ? p + 1 : end;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *line_end = eol ? eol : end;
		if (line_end == p || (line_end == p + 1 && *p == '\r'))
			break; /* the end of the header */
		if ((gsize)(line_end - p) > n && p[n] == ':' &&
		    g_ascii_strncasecmp(p, name, n) == 0) {
			GString *value = g_string_new(NULL);
			g_string_append_len(value, p + n + 1,
					    line_end - (p + n + 1));
			/* continuation lines start with white space */
			while (eol != NULL && eol + 1 < end &&
			       (eol[1] == ' ' || eol[1] == '\t')) {
				const char *next = eol + 1;
				eol = memchr(next, '\n', end - next);
				line_end = eol ? eol : end;
				g_string_append_c(value, ' ');
				g_string_append_len(value, next,
						    line_end - next);
			}
			char *v = g_string_free(value, FALSE);
			g_strdelimit(v, "\r\n\t", ' ');
			return g_strstrip(v);
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	return NULL;
}

typedef struct {
	const TwLimits *limits;
	TwView *view;
	GString *raw; /* rawbody being built */
	GHashTable *seen_uris;
	guint parts_seen;
	GPtrArray *boundaries; /* of the multiparts read, borrowed */
} Walk;

static void
on_parser_warning(gint64 offset, GMimeParserWarning code, const char *item,
		  gpointer data)
{
	TwView *view = data;

	switch (code) {
	case GMIME_WARN_UNENCODED_8BIT_HEADER:
		view->anomalies |= TW_ANOMALY_8BIT_HEADER;
		break;
	/* an unclosed multipart is found by closed_multiparts(): GMime says
	 * "truncated" of a message that is all header, too */
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		view->anomalies |= TW_ANOMALY_MISSING_BOUNDARY;
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		view->anomalies |= TW_ANOMALY_TOO_DEEP;
		break;
	default:
		break;
	}
}

/* Untrusted bytes from GMime as UTF-8 the view can hold. */
static char *
valid_utf8(const char *text)
{
	if (text == NULL)
		return NULL;
	if (g_utf8_validate(text, -1, NULL))
		return g_strdup(text);
	return g_utf8_make_valid(text, -1);
}

static void
add_addresses(GPtrArray *out, InternetAddressList *list, guint depth)
{
	if (list == NULL || depth > 4)
		return;
	int n = internet_address_list_length(list);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia =
			internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			add_addresses(out,
				      internet_address_group_get_members(
					      INTERNET_ADDRESS_GROUP(ia)),
				      depth + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
		TwAddress *a = g_new0(TwAddress, 1);
		const char *name = internet_address_get_name(ia);
		if (name != NULL && *name != '\0')
			a->name = valid_utf8(name);
		const char *addr = internet_address_mailbox_get_idn_addr(mb);
		a->addr = valid_utf8(addr ? addr : "");
		const char *at = strrchr(a->addr, '@');
		a->domain = at ? g_utf8_strdown(at + 1, -1) : g_strdup("");
		a->registrable = tw_mail_registrable_domain(a->domain);
		a->display =
			a->name ? g_strdup_printf("%s <%s>", a->name, a->addr)
				: g_strdup_printf("<%s>", a->addr);
		g_ptr_array_add(out, a);
	}
}

static void
append_text(Walk *w, const char *text)
{
	if (*text == '\0')
		return;
	if (w->raw->len > 0 && w->raw->str[w->raw->len - 1] != '\n')
		g_string_append_c(w->raw, '\n');
	g_string_append(w->raw, text);
}

/* Cut UTF-8 @text to at most @max bytes at a character boundary. */
static gboolean
cut_utf8(char *text, guint64 max)
{
	gsize len = strlen(text);
	if (len <= max)
		return FALSE;
	const char *end = g_utf8_find_prev_char(text, text + max + 1);
	text[end ? end - text : 0] = '\0';
	return TRUE;
}

static void
read_leaf(Walk *w, GMimePart *leaf, TwPart *part, GMimeObject *obj)
{
	GMimeDataWrapper *content = g_mime_part_get_content(leaf);
	gboolean is_text = g_str_has_prefix(part->type, "text/");
	GMimeContentDisposition *disp =
		g_mime_object_get_content_disposition(obj);
	gboolean attachment = !is_text || part->filename != NULL ||
			      (disp != NULL &&
			       g_mime_content_disposition_is_attachment(disp));

	if (content == NULL) {
		part->text = is_text;
	} else if (!is_text) {
		/* only the size is wanted: count, do not keep */
		g_autoptr(GMimeStream) null = g_mime_stream_null_new();
		g_mime_data_wrapper_write_to_stream(content, null);
		part->size = GMIME_STREAM_NULL(null)->written;
	} else {
		g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
		g_mime_data_wrapper_write_to_stream(content, mem);
		GByteArray *bytes =
			g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		part->size = bytes->len;
		part->text = TRUE;
		/* an empty array has no data pointer */
		const char *raw =
			bytes->len > 0 ? (const char *)bytes->data : "";

		gboolean is_html = strcmp(part->type, "text/html") == 0;
		g_autofree char *sniffed = NULL;
		const char *charset = part->charset;
		if (charset == NULL && is_html)
			charset = sniffed =
				tw_mail_charset_sniff_html(raw, bytes->len);
		const char *used = NULL;
		gboolean bad = FALSE;
		g_autofree char *text = tw_mail_charset_decode(
			raw, bytes->len, charset, &used, &bad);
		part->used_charset = g_strdup(used);
		if (bad)
			w->view->anomalies |= TW_ANOMALY_BAD_CHARSET;
		if (cut_utf8(text, w->limits->text_per_part))
			w->view->anomalies |= TW_ANOMALY_TEXT_TRUNCATED;
		if (is_html) {
			char *plain = tw_mail_html_to_text(text, strlen(text),
							   w->view->uris,
							   w->seen_uris);
			g_free(text);
			text = plain;
		}
		tw_mail_uri_scan_text(w->view->uris, w->seen_uris, text);
		append_text(w, text);
	}

	if (attachment) {
		TwAttachment *a = g_new0(TwAttachment, 1);
		a->name = g_strdup(part->filename ? part->filename : "");
		a->type = g_strdup(part->type);
		a->size = part->size;
		g_ptr_array_add(w->view->attachments, a);
	}
}

static void walk_object(Walk *w, GMimeObject *obj, const char *id, guint depth);

/* A forwarded message: its key header lines, then its body. */
static void
read_message_part(Walk *w, GMimeMessagePart *mp, TwPart *part, guint depth)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	if (inner == NULL)
		return;
	static const char *const fields[] = {"From", "Date", "Subject", NULL};
	for (guint i = 0; fields[i]; i++) {
		const char *v = g_mime_object_get_header(GMIME_OBJECT(inner),
							 fields[i]);
		if (v == NULL)
			continue;
		g_autofree char *valid = valid_utf8(v);
		g_autofree char *line =
			g_strdup_printf("%s: %s", fields[i], valid);
		append_text(w, line);
	}
	GMimeObject *body = g_mime_message_get_mime_part(inner);
	if (body != NULL) {
		g_autofree char *child = g_strdup_printf("%s.1", part->id);
		walk_object(w, body, child, depth + 1);
	}
	if (part->filename != NULL) {
		g_autoptr(GMimeStream) null = g_mime_stream_null_new();
		g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, null);
		part->size = GMIME_STREAM_NULL(null)->written;
		TwAttachment *a = g_new0(TwAttachment, 1);
		a->name = g_strdup(part->filename);
		a->type = g_strdup(part->type);
		a->size = part->size;
		g_ptr_array_add(w->view->attachments, a);
	}
}

static void
walk_object(Walk *w, GMimeObject *obj, const char *id, guint depth)
{
	if (depth > w->limits->mime_depth) {
		w->view->anomalies |= TW_ANOMALY_TOO_DEEP;
		return;
	}
	if (w->parts_seen >= w->limits->mime_parts) {
		w->view->anomalies |= TW_ANOMALY_TOO_MANY_PARTS;
		return;
	}
	w->parts_seen++;

	TwPart *part = g_new0(TwPart, 1);
	part->id = g_strdup(id);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	g_autofree char *type = ct ? g_mime_content_type_get_mime_type(ct)
				   : g_strdup("text/plain");
	part->type = g_ascii_strdown(type, -1);
	const char *charset =
		ct ? g_mime_content_type_get_parameter(ct, "charset") : NULL;
	if (charset != NULL && *charset != '\0')
		part->charset = valid_utf8(charset);
	const char *cte =
		g_mime_object_get_header(obj, "Content-Transfer-Encoding");
	if (cte != NULL) {
		g_autofree char *valid = valid_utf8(cte);
		part->encoding = g_ascii_strdown(g_strstrip(valid), -1);
	}
	g_ptr_array_add(w->view->parts, part);

	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		const char *boundary = g_mime_multipart_get_boundary(mp);
		if (boundary != NULL && *boundary != '\0')
			g_ptr_array_add(w->boundaries, (gpointer)boundary);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n; i++) {
			g_autofree char *child =
				g_strdup_printf("%s.%d", id, i + 1);
			walk_object(w, g_mime_multipart_get_part(mp, i), child,
				    depth + 1);
		}
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeContentDisposition *disp =
			g_mime_object_get_content_disposition(obj);
		const char *name =
			disp ? g_mime_content_disposition_get_parameter(
				       disp, "filename")
			     : NULL;
		if (name != NULL)
			part->filename = valid_utf8(name);
		read_message_part(w, GMIME_MESSAGE_PART(obj), part, depth);
		return;
	}
	if (GMIME_IS_PART(obj)) {
		const char *name = g_mime_part_get_filename(GMIME_PART(obj));
		if (name != NULL && *name != '\0')
			part->filename = valid_utf8(name);
		read_leaf(w, GMIME_PART(obj), part, obj);
	}
}

/* A header value as rules see it: unfolded, RFC 2047 decoded, UTF-8. */
static char *
decode_header(TwView *view, const char *raw)
{
	g_autofree char *unfolded = g_mime_utils_header_unfold(raw);
	gboolean bad = FALSE;
	char *value = tw_mail_rfc2047_decode(unfolded, &bad);
	if (bad)
		view->anomalies |= TW_ANOMALY_BAD_CHARSET;
	return g_strstrip(value);
}

/* The addresses of every @name field, decoded as decode_header() does. */
static void
read_addresses(GPtrArray *out, GMimeParserOptions *options,
	       GMimeHeaderList *list, const char *name)
{
	int n = g_mime_header_list_get_count(list);

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) != 0)
			continue;
		const char *raw = g_mime_header_get_raw_value(h);
		if (raw == NULL)
			continue;
		g_autofree char *unfolded = g_mime_utils_header_unfold(raw);
		g_autofree char *merged = tw_mail_rfc2047_merge(unfolded);
		g_autoptr(InternetAddressList) addresses =
			internet_address_list_parse(options, merged);
		add_addresses(out, addresses, 0);
	}
}

static void
read_headers(TwView *view, GMimeParserOptions *options, GMimeObject *message)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(message);
	int n = g_mime_header_list_get_count(list);

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		const char *name = g_mime_header_get_name(h);
		/* verdicts and sample labels: never visible to rules */
		if (g_ascii_strncasecmp(name, "X-Trowatch-", 11) == 0)
			continue;
		const char *raw = g_mime_header_get_raw_value(h);
		TwHeader *th = g_new0(TwHeader, 1);
		th->name = valid_utf8(name);
		th->value = decode_header(view, raw ? raw : "");
		th->raw = valid_utf8(raw ? raw : "");
		g_strstrip(th->raw);
		g_ptr_array_add(view->headers, th);
		if (view->subject[0] == '\0' &&
		    g_ascii_strcasecmp(name, "Subject") == 0) {
			g_free(view->subject);
			view->subject = tw_util_text_fold(th->value, -1);
		}
	}
	read_addresses(view->from, options, list, "From");
	read_addresses(view->to, options, list, "To");
	read_addresses(view->to, options, list, "Cc");
	read_addresses(view->reply_to, options, list, "Reply-To");
	read_addresses(view->return_path, options, list, "Return-Path");
}

/* Lines end in LF in the view, whatever the message used. */
static char *
normalize_newlines(GString *text)
{
	GString *out = g_string_sized_new(text->len);
	for (gsize i = 0; i < text->len; i++) {
		char c = text->str[i];
		if (c == '\r') {
			if (i + 1 < text->len && text->str[i + 1] == '\n')
				continue;
			c = '\n';
		}
		g_string_append_c(out, c);
	}
	return g_string_free(out, FALSE);
}

/* The next line of [*p, end) as [start, stop) without its line break. */
static gboolean
next_line(const char **p, const char *end, const char **start_r,
	  const char **stop_r)
{
	if (*p >= end)
		return FALSE;
	const char *nl = memchr(*p, '\n', (gsize)(end - *p));
	const char *stop = nl ? nl : end;
	*start_r = *p;
	*p = nl ? nl + 1 : end;
	while (stop > *start_r &&
	       (stop[-1] == '\r' || stop[-1] == ' ' || stop[-1] == '\t'))
		stop--;
	*stop_r = stop;
	return TRUE;
}

/* Every boundary parameter in the bytes, whatever part declares it. */
static GHashTable *
declared_boundaries(const char *data, gsize len)
{
	GHashTable *set =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *p = data, *end = data + len;
	while (p + 9 < end) {
		if ((*p | 0x20) != 'b' ||
		    g_ascii_strncasecmp(p, "boundary", 8)) {
			p++;
			continue;
		}
		p += 8;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end || *p != '=') {
			continue;
		}
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		gboolean quoted = p < end && *p == '"';
		const char *v = p + quoted;
		const char *e = v;
		while (e < end && e - v < 200 &&
		       (quoted ? *e != '"' : (*e > ' ' && *e != ';')) &&
		       *e != '\n' && *e != '\r')
			e++;
		if (e > v)
			g_hash_table_add(set, g_strndup(v, (gsize)(e - v)));
		p = e;
	}
	return set;
}

/*
 * GMime builds the whole tree of parts before the walk can stop at the
 * mime-parts limit: two million empty parts took 23 s and 2.7 GB.  When
 * the message has more delimiter lines than the limit allows, it is cut
 * before the first part over the limit, so GMime never sees the rest.
 * Counting lines that start with "--" is cheap, and only when there are
 * many are the declared boundaries looked up.
 */
static void
cap_parts(GByteArray *bytes, const TwLimits *limits, TwView *view)
{
	if (bytes->len == 0) /* then data is NULL */
		return;
	const char *data = (const char *)bytes->data;
	const char *p = data, *end = data + bytes->len, *s, *e;
	guint64 dashes = 0;
	while (next_line(&p, end, &s, &e))
		dashes += e - s >= 2 && s[0] == '-' && s[1] == '-';
	if (dashes <= limits->mime_parts * 2 + 16)
		return;

	g_autoptr(GHashTable) set = declared_boundaries(data, bytes->len);
	guint64 delimiters = 0;
	p = data;
	while (next_line(&p, end, &s, &e)) {
		if (e - s < 3 || s[0] != '-' || s[1] != '-')
			continue;
		const char *b = s + 2, *be = e;
		g_autofree char *name = g_strndup(b, (gsize)(be - b));
		gboolean known = g_hash_table_contains(set, name);
		if (!known && be - b >= 3 && be[-1] == '-' && be[-2] == '-') {
			name[be - b - 2] = '\0'; /* a close delimiter */
			known = g_hash_table_contains(set, name);
		}
		if (known && ++delimiters > limits->mime_parts) {
			g_byte_array_set_size(bytes, (guint)(s - data));
			view->anomalies |= TW_ANOMALY_TOO_MANY_PARTS;
			return;
		}
	}
}

/* Is every multipart of the walk closed by its "--boundary--" line? */
static gboolean
closed_multiparts(const GByteArray *bytes, const GPtrArray *boundaries)
{
	if (boundaries->len == 0 || bytes->len == 0)
		return TRUE;
	g_autoptr(GHashTable) closed =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *data = (const char *)bytes->data;
	const char *p = data, *end = data + bytes->len, *s, *e;
	while (next_line(&p, end, &s, &e))
		if (e - s >= 4 && s[0] == '-' && s[1] == '-' && e[-1] == '-' &&
		    e[-2] == '-')
			g_hash_table_add(closed, g_strndup(s + 2, e - s - 4));
	for (guint i = 0; i < boundaries->len; i++) {
		/* RFC 2046: trailing white space after the boundary is
		 * allowed, so compare without it */
		g_autofree char *b = g_strdup(boundaries->pdata[i]);
		g_strchomp(b);
		if (!g_hash_table_contains(closed, b))
			return FALSE;
	}
	return TRUE;
}

/*
 * The bytes GMime reads: without an mbox "From " line, and with a header
 * block cut to the header-size limit (at a line end) when it is longer.
 */
static GByteArray *
prepare_input(const char *data, gsize len, const TwLimits *limits, TwView *view)
{
	if (len >= 5 && memcmp(data, "From ", 5) == 0) {
		const char *nl = memchr(data, '\n', len);
		gsize skip = nl ? (gsize)(nl - data) + 1 : len;
		data += skip;
		len -= skip;
	}

	/* the end of the header block: the first empty line */
	gsize hdr_end = len;
	for (gsize i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (i + 1 < len && data[i + 1] == '\n') {
			hdr_end = i + 1;
			break;
		}
		if (i + 2 < len && data[i + 1] == '\r' && data[i + 2] == '\n') {
			hdr_end = i + 1;
			break;
		}
	}

	GByteArray *bytes = g_byte_array_sized_new((guint)MIN(len, G_MAXUINT));
	if (hdr_end > limits->header_size) {
		gsize cut = (gsize)limits->header_size;
		while (cut > 0 && data[cut - 1] != '\n')
			cut--;
		view->anomalies |= TW_ANOMALY_HEADER_TRUNCATED;
		g_byte_array_append(bytes, (const guint8 *)data, (guint)cut);
		if (hdr_end < len) {
			g_byte_array_append(bytes,
					    (const guint8 *)data + hdr_end,
					    (guint)(len - hdr_end));
		} else {
			/* the whole message was header: end the cut one */
			g_byte_array_append(bytes, (const guint8 *)"\n", 1);
		}
	} else {
		g_byte_array_append(bytes, (const guint8 *)data, (guint)len);
	}
	cap_parts(bytes, limits, view);
	return bytes;
}

TwView *
tw_mail_view_new(const char *data, gsize len, const TwLimits *limits)
{
	static const char *fallback[] = {"UTF-8", "GB18030", "WINDOWS-1252",
					 NULL};
	g_assert(initialized);

	TwView *view = tw_view_new();
	if (len > limits->message_size) {
		len = (gsize)limits->message_size;
		view->anomalies |= TW_ANOMALY_TRUNCATED;
	}
	view->size = len;

	g_autoptr(GMimeParserOptions) options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(options, fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(
		options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_warning_callback(options, on_parser_warning,
						   view);

	GByteArray *bytes = prepare_input(data, len, limits, view);
	/* the stream owns the array (and keeps it while the view is built) */
	g_autoptr(GMimeStream) stream =
		g_mime_stream_mem_new_with_byte_array(bytes);
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_autoptr(GMimeMessage) message =
		g_mime_parser_construct_message(parser, options);
	if (message == NULL)
		return view;

	read_headers(view, options, GMIME_OBJECT(message));
	const char *mid = g_mime_message_get_message_id(message);
	if (mid != NULL && *mid != '\0')
		view->message_id = valid_utf8(mid);
	GDateTime *date = g_mime_message_get_date(message);
	if (date != NULL)
		view->date = g_date_time_format(date, "%Y-%m-%dT%H:%M:%S%:z");

	Walk w = {
		.limits = limits,
		.view = view,
		.raw = g_string_new(NULL),
		.seen_uris = g_hash_table_new_full(g_str_hash, g_str_equal,
						   g_free, NULL),
		.boundaries = g_ptr_array_new(),
	};
	GMimeObject *body = g_mime_message_get_mime_part(message);
	if (body != NULL)
		walk_object(&w, body, "1", 0);
	if (!closed_multiparts(bytes, w.boundaries))
		view->anomalies |= TW_ANOMALY_MISSING_BOUNDARY;
	g_ptr_array_unref(w.boundaries);
	g_free(view->rawbody);
	view->rawbody = normalize_newlines(w.raw);
	g_string_free(w.raw, TRUE);
	g_hash_table_unref(w.seen_uris);
	g_free(view->body);
	view->body = tw_util_text_fold(view->rawbody, -1);
	return view;
}
