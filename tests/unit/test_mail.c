/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the message view: charsets, headers, HTML, parts, limits. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "trowatch/mail.h"

static TwView *
view_of_limits(const char *name, const TwLimits *limits)
{
	const char *dir = g_getenv("TW_FIXTURES");
	g_autofree char *path = g_build_filename(dir ? dir : "tests/fixtures",
						 "view", name, NULL);
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr(GError) error = NULL;

	if (!g_file_get_contents(path, &data, &len, &error))
		fail_msg("%s", error->message);
	return tw_mail_view_new(data, len, limits);
}

static TwView *
view_of(const char *name)
{
	TwLimits limits;
	tw_limits_init(&limits);
	return view_of_limits(name, &limits);
}

static TwView *
view_of_string(const char *text, const TwLimits *limits)
{
	TwLimits defaults;
	if (limits == NULL) {
		tw_limits_init(&defaults);
		limits = &defaults;
	}
	return tw_mail_view_new(text, strlen(text), limits);
}

static const TwAddress *
address(const GPtrArray *list, guint i)
{
	assert_true(i < list->len);
	return g_ptr_array_index(list, i);
}

static const TwPart *
part(const TwView *view, guint i)
{
	assert_true(i < view->parts->len);
	return g_ptr_array_index(view->parts, i);
}

static void
test_gbk_labelled_gb2312(void **state)
{
	g_autoptr(TwView) v = view_of("gbk-as-gb2312.eml");
	/* GBK-only characters survive: gb2312 is read as its superset */
	assert_non_null(strstr(v->rawbody, "陶喆 和 镕"));
	assert_string_equal(v->subject, "测试邮件 主题");
	assert_string_equal(part(v, 0)->used_charset, "GBK");
	assert_false(v->anomalies & TW_ANOMALY_BAD_CHARSET);
}

static void
test_raw_8bit_gbk_subject(void **state)
{
	g_autoptr(TwView) v = view_of("raw-8bit-subject.eml");
	assert_string_equal(v->subject, "免费发票 临时限制令");
	assert_string_equal(address(v->from, 0)->name, "张三");
	assert_true(v->anomalies & TW_ANOMALY_8BIT_HEADER);
}

static void
test_encoded_word_split_mid_character(void **state)
{
	g_autoptr(TwView) v = view_of("split-encoded-word.eml");
	assert_string_equal(v->subject, "临时限制令通知");
	assert_string_equal(tw_view_header(v, "subject")->value,
			    "临时限制令通知");
}

static void
test_encoded_words_other_charsets(void **state)
{
	g_autoptr(TwView) v = view_of("charsets-subject.eml");
	/* Big5 and ISO-2022-JP words side by side: RFC 2047 drops the space */
	assert_string_equal(v->subject, "訴訟通知仮差押え");
	assert_string_equal(address(v->from, 0)->name, "李四");
	assert_string_equal(address(v->to, 0)->name, "山田");
	assert_string_equal(address(v->to, 1)->name, "田中");
	assert_string_equal(address(v->to, 2)->name, "王五");
	assert_non_null(strstr(v->rawbody, "凍結資金，臨時禁制令"));
	/* NFKC folds the full-width comma in the folded body */
	assert_non_null(strstr(v->body, "凍結資金,臨時禁制令"));
}

static void
test_html_only_with_table(void **state)
{
	g_autoptr(TwView) v = view_of("html-table.eml");
	/* a phrase split across table cells and lines matches folded */
	assert_non_null(strstr(v->body, "Temporary Restraining Order"));
	assert_non_null(strstr(v->body, "Dear Seller & partner,"));
	assert_non_null(strstr(v->body, "Case No. 1:25-cv-07412"));
	/* script, style and head are not text */
	assert_null(strstr(v->body, "Hidden script"));
	assert_null(strstr(v->body, "color"));
	assert_null(strstr(v->body, "Notice title"));
	/* block elements break lines in the raw form */
	assert_non_null(strstr(v->rawbody, "first\nsecond"));
	/* link targets are URIs; mailto is not a link to a site */
	assert_int_equal(v->uris->len, 2);
	const TwUri *u = g_ptr_array_index(v->uris, 0);
	assert_string_equal(u->uri, "https://docs.serve.example.test/25-7412");
	assert_string_equal(u->host, "docs.serve.example.test");
	assert_string_equal(u->registrable, "example.test");
	u = g_ptr_array_index(v->uris, 1);
	assert_string_equal(u->uri, "www.firm.example.test/help");
}

static void
test_fullwidth_folds(void **state)
{
	g_autoptr(TwView) v = view_of("fullwidth.eml");
	assert_string_equal(v->subject, "TRO:通知");
	/* NFKC, an ideographic space, a broken phrase, a zero-width space */
	assert_string_equal(v->body,
			    "TRO:冻结 资金 Temporary Restraining Order!");
	/* rawbody keeps the text as decoded, with its line breaks */
	assert_non_null(
		strstr(v->rawbody, "ＴＲＯ：冻结\u3000资金\nTemporary"));
	assert_null(strchr(v->rawbody, '\r'));
}

static void
test_forwarded_message(void **state)
{
	g_autoptr(TwView) v = view_of("forward-rfc822.eml");
	assert_non_null(strstr(v->body, "Please look at this."));
	assert_non_null(strstr(v->body, "Temporary Restraining Order issued "
					"by a federal court"));
	assert_non_null(strstr(v->rawbody, "\nSubject: Funds on hold\n"));
	assert_non_null(strstr(v->rawbody, "seller-performance@amazon.com"));
	assert_string_equal(part(v, 2)->type, "message/rfc822");
	assert_string_equal(part(v, 3)->id, "1.2.1");
	assert_int_equal(v->attachments->len, 1);
	const TwAttachment *a = g_ptr_array_index(v->attachments, 0);
	assert_string_equal(a->name, "notice.eml");
	assert_true(a->size > 0);
}

static void
test_missing_final_boundary(void **state)
{
	g_autoptr(TwView) v = view_of("missing-boundary.eml");
	assert_true(v->anomalies & TW_ANOMALY_MISSING_BOUNDARY);
	/* what is there is still read */
	assert_non_null(strstr(v->body, "second part, never closed"));
}

static void
test_rfc2231_file_names(void **state)
{
	g_autoptr(TwView) v = view_of("rfc2231-filename.eml");
	assert_int_equal(v->attachments->len, 3);
	const TwAttachment *a = g_ptr_array_index(v->attachments, 0);
	assert_string_equal(a->name, "起诉状.pdf");
	assert_string_equal(a->type, "application/pdf");
	assert_int_equal(a->size, 140);
	a = g_ptr_array_index(v->attachments, 1);
	assert_string_equal(a->name, "Schedule A 附表.xls"); /* continued */
	a = g_ptr_array_index(v->attachments, 2);
	assert_string_equal(a->name, "传票.zip"); /* RFC 2047 in name= */
	assert_string_equal(v->body, "See attached.");
}

static void
test_unknown_charset(void **state)
{
	g_autoptr(TwView) v = view_of("unknown-charset.eml");
	assert_true(v->anomalies & TW_ANOMALY_BAD_CHARSET);
	assert_string_equal(v->body, "临时限制令 冻结资金");
	assert_string_equal(part(v, 0)->used_charset, "GB18030");
}

static void
test_missing_charset_fallbacks(void **state)
{
	/* no charset at all: GBK text reads as GB18030, flagged */
	g_autoptr(TwView) gbk =
		view_of_string("Subject: s\nContent-Type: text/plain\n"
			       "Content-Transfer-Encoding: 8bit\n\n"
			       "\xc1\xd9\xca\xb1\xcf\xde\xd6\xc6\xc1\xee\n",
			       NULL);
	assert_string_equal(gbk->body, "临时限制令");
	assert_string_equal(part(gbk, 0)->used_charset, "GB18030");
	assert_true(gbk->anomalies & TW_ANOMALY_BAD_CHARSET);
	/* Latin-1 text that GB18030 cannot read either: Windows-1252 */
	g_autoptr(TwView) latin = view_of_string(
		"Subject: s\nContent-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: 8bit\n\n"
		"caf\xe9 \x93quoted\x94 na\xefve\n",
		NULL);
	assert_string_equal(latin->body, "café “quoted” naïve");
	assert_string_equal(part(latin, 0)->used_charset, "WINDOWS-1252");
	assert_true(latin->anomalies & TW_ANOMALY_BAD_CHARSET);
	/* plain ASCII with no label is no anomaly */
	g_autoptr(TwView) ascii = view_of_string(
		"Subject: s\nContent-Type: text/plain\n\nhello\n", NULL);
	assert_false(ascii->anomalies & TW_ANOMALY_BAD_CHARSET);
}

static void
test_empty_links_dropped(void **state)
{
	g_autoptr(TwView) v =
		view_of_string("Subject: s\nContent-Type: text/html\n\n"
			       "<a href=\"http://\">x</a><a href=\"www.\">y</a>"
			       "<a href=\"https://ok.example/p\">z</a>\n",
			       NULL);
	assert_int_equal(v->uris->len, 1);
	assert_string_equal(((TwUri *)v->uris->pdata[0])->host, "ok.example");
}

static void
test_addresses_and_hidden_fields(void **state)
{
	g_autoptr(TwView) v = view_of("addresses.eml");
	const TwAddress *from = address(v->from, 0);
	assert_string_equal(from->display,
			    "Amazon Seller Performance "
			    "<seller-performance@mail.amazon.co.uk>");
	assert_string_equal(from->domain, "mail.amazon.co.uk");
	assert_string_equal(from->registrable, "amazon.co.uk");
	/* group members are addresses; the empty group adds none */
	assert_int_equal(v->to->len, 3);
	assert_string_equal(address(v->to, 0)->display, "<a@one.example>");
	assert_string_equal(address(v->to, 2)->addr, "plain@example.org");
	assert_string_equal(address(v->reply_to, 0)->name, "Rights Owner");
	assert_string_equal(address(v->reply_to, 0)->registrable,
			    "example.test");
	assert_string_equal(address(v->return_path, 0)->registrable,
			    "amazon.com");
	/* X-Trowatch-* fields are invisible */
	assert_null(tw_view_header(v, "X-Trowatch-Expect"));
	assert_null(tw_view_header(v, "X-Trowatch-Severity"));
	assert_non_null(tw_view_header(v, "Cc"));
	/* a URI in text loses its sentence punctuation; host is lower case */
	const TwUri *u = g_ptr_array_index(v->uris, 0);
	assert_string_equal(u->uri, "http://www.Example.COM/a?b=c");
	assert_string_equal(u->host, "www.example.com");
	assert_string_equal(u->registrable, "example.com");
	assert_string_equal(v->date, "2025-07-19T12:00:00+00:00");
}

static void
test_alternative_qp_crlf_meta_charset(void **state)
{
	g_autoptr(TwView) v = view_of("alternative-crlf.eml");
	assert_non_null(strstr(v->rawbody, "Café softbreak\n"));
	/* no MIME charset on the HTML part: its <meta> names GBK */
	assert_non_null(strstr(v->body, "冻结"));
	assert_string_equal(part(v, 2)->used_charset, "GBK");
	assert_null(strchr(v->rawbody, '\r'));
}

static void
test_raw_header_value_kept(void **state)
{
	g_autoptr(TwView) v = view_of("gbk-as-gb2312.eml");
	const TwHeader *h = tw_view_header(v, "Subject");
	assert_non_null(h);
	assert_true(g_str_has_prefix(h->raw, "=?GB2312?B?"));
	assert_string_equal(h->value, "测试邮件 主题");
}

static void
test_limit_message_size(void **state)
{
	TwLimits limits;
	tw_limits_init(&limits);
	limits.message_size = 60;
	g_autoptr(TwView) v = view_of_string(
		"Subject: big\n\n0123456789012345678901234567890123456789"
		"0123456789 this is beyond the limit\n",
		&limits);
	assert_true(v->anomalies & TW_ANOMALY_TRUNCATED);
	assert_int_equal(v->size, 60);
	assert_null(strstr(v->body, "beyond"));
	assert_string_equal(v->subject, "big");
}

static void
test_limit_header_size(void **state)
{
	TwLimits limits;
	tw_limits_init(&limits);
	limits.header_size = 40;
	g_autoptr(TwView) v = view_of_string(
		"Subject: kept\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
		"X-Lost: gone\n\nthe body is still read\n",
		&limits);
	assert_true(v->anomalies & TW_ANOMALY_HEADER_TRUNCATED);
	assert_string_equal(v->subject, "kept");
	assert_null(tw_view_header(v, "X-Lost"));
	assert_string_equal(v->body, "the body is still read");
}

static void
test_limit_text_per_part(void **state)
{
	TwLimits limits;
	tw_limits_init(&limits);
	limits.text_per_part = 10;
	/* the cut falls inside a three-byte character: it backs off */
	g_autoptr(TwView) v = view_of_string(
		"Content-Type: text/plain; charset=utf-8\n\nabcdefgh临时限制令\n",
		&limits);
	assert_true(v->anomalies & TW_ANOMALY_TEXT_TRUNCATED);
	assert_string_equal(v->rawbody, "abcdefgh");
}

static char *
nested_message(guint depth)
{
	GString *s = g_string_new("Subject: deep\n");
	for (guint i = 0; i < depth; i++)
		g_string_append_printf(
			s,
			"Content-Type: multipart/mixed; boundary=\"b%u\"\n\n"
			"--b%u\n",
			i, i);
	g_string_append(s, "Content-Type: text/plain\n\ninnermost text\n");
	for (guint i = depth; i-- > 0;)
		g_string_append_printf(s, "--b%u--\n", i);
	return g_string_free(s, FALSE);
}

static void
test_limit_mime_depth(void **state)
{
	TwLimits limits;
	tw_limits_init(&limits);
	limits.mime_depth = 5;
	g_autofree char *shallow = nested_message(5);
	g_autoptr(TwView) ok = view_of_string(shallow, &limits);
	assert_false(ok->anomalies & TW_ANOMALY_TOO_DEEP);
	assert_string_equal(ok->body, "innermost text");

	g_autofree char *deep = nested_message(6);
	g_autoptr(TwView) v = view_of_string(deep, &limits);
	assert_true(v->anomalies & TW_ANOMALY_TOO_DEEP);
	assert_string_equal(v->body, "");
}

static void
test_limit_mime_depth_default_hostile(void **state)
{
	/* far deeper than any limit: flagged, no crash, no stack overflow */
	g_autofree char *deep = nested_message(5000);
	g_autoptr(TwView) v = view_of_string(deep, NULL);
	assert_true(v->anomalies & TW_ANOMALY_TOO_DEEP);
}

static void
test_limit_mime_parts(void **state)
{
	TwLimits limits;
	tw_limits_init(&limits);
	limits.mime_parts = 4;
	GString *s = g_string_new(
		"Content-Type: multipart/mixed; boundary=\"b\"\n\n");
	for (int i = 0; i < 6; i++)
		g_string_append_printf(s,
				       "--b\nContent-Type: text/plain\n\n"
				       "part %d\n",
				       i);
	g_string_append(s, "--b--\n");
	g_autoptr(TwView) v = view_of_string(s->str, &limits);
	g_string_free(s, TRUE);
	assert_true(v->anomalies & TW_ANOMALY_TOO_MANY_PARTS);
	assert_int_equal(v->parts->len, 4); /* the multipart and 3 parts */
	assert_string_equal(v->body, "part 0 part 1 part 2");
}

static void
test_limit_mime_parts_bounds_the_parse(void **state)
{
	/* far more parts than the limit: the parser must not build them all,
	 * and the message is read up to the limit */
	GString *s = g_string_new("Subject: many\nMIME-Version: 1.0\n"
				  "Content-Type: multipart/mixed; "
				  "boundary=\"b\"\n\n--b\n\nfirst\n");
	for (int i = 0; i < 200000; i++)
		g_string_append(s, "--b\n\n");
	g_string_append(s, "--b--\n");
	g_autoptr(TwView) v = view_of_string(s->str, NULL);
	g_string_free(s, TRUE);
	assert_true(v->anomalies & TW_ANOMALY_TOO_MANY_PARTS);
	TwLimits limits;
	tw_limits_init(&limits);
	assert_true(v->parts->len <= limits.mime_parts);
	assert_non_null(strstr(v->body, "first"));
}

static void
test_unclosed_multiparts(void **state)
{
	/* a message that is all header is not a missing boundary */
	g_autoptr(TwView) h =
		view_of_string("Subject: a\nFrom: b@c.example\n", NULL);
	assert_false(h->anomalies & TW_ANOMALY_MISSING_BOUNDARY);
	/* a nested multipart that never closes, inside one that does */
	g_autoptr(TwView) n = view_of_string(
		"Subject: a\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"X\"\n\n"
		"--X\nContent-Type: multipart/alternative; boundary=\"Y\"\n\n"
		"--Y\nContent-Type: text/plain\n\nhello\n"
		"--X\nContent-Type: text/plain\n\nworld\n--X--\n",
		NULL);
	assert_true(n->anomalies & TW_ANOMALY_MISSING_BOUNDARY);
	assert_non_null(strstr(n->body, "hello"));
	assert_non_null(strstr(n->body, "world"));
	/* closed, with transport padding after the delimiter */
	g_autoptr(TwView) c = view_of_string(
		"Subject: a\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"X\"\n\n"
		"--X\nContent-Type: text/plain\n\nhello\n--X--  \n",
		NULL);
	assert_false(c->anomalies & TW_ANOMALY_MISSING_BOUNDARY);
}

static void
test_nearly_utf8(void **state)
{
	/* one stray byte in UTF-8 Chinese: the rest stays Chinese, it is not
	 * all read as GB18030 */
	g_autoptr(TwView) v =
		view_of_string("Subject: s\nMIME-Version: 1.0\n"
			       "Content-Type: text/plain; charset=utf-8\n"
			       "Content-Transfer-Encoding: 8bit\n\n"
			       "冻结资金 \xe9t 临时限制令\n",
			       NULL);
	assert_non_null(strstr(v->body, "冻结资金"));
	assert_non_null(strstr(v->body, "临时限制令"));
	assert_string_equal(part(v, 0)->used_charset, "UTF-8");
	assert_true(v->anomalies & TW_ANOMALY_BAD_CHARSET);
}

static void
test_encoded_word_wrong_charset(void **state)
{
	/* GBK bytes labelled utf-8, or an unknown charset: the fallbacks of
	 * the body apply, and the view says so */
	static const char *const subjects[] = {
		/* 临时限制令 in GBK */
		"Subject: =?utf-8?B?wdnKsc/e1sbB7g==?=\n\n",
		"Subject: =?x-unknown?B?wdnKsc/e1sbB7g==?=\n\n",
		"Subject: =?gb2312?B?wdnKsc/e1sbB7g==?= =?us-ascii?Q?_TRO?=\n\n",
	};
	static const char *const want[] = {"临时限制令", "临时限制令",
					   "临时限制令 TRO"};
	for (guint i = 0; i < G_N_ELEMENTS(subjects); i++) {
		g_autoptr(TwView) v = view_of_string(subjects[i], NULL);
		assert_string_equal(v->subject, want[i]);
		if (i < 2)
			assert_true(v->anomalies & TW_ANOMALY_BAD_CHARSET);
		else
			assert_false(v->anomalies & TW_ANOMALY_BAD_CHARSET);
	}
}

static void
test_nul_bytes_and_garbage(void **state)
{
	static const char data[] = "Subject: a\0b\n\nbody\0with nul\n\xff\xfe";
	TwLimits limits;
	tw_limits_init(&limits);
	g_autoptr(TwView) v = tw_mail_view_new(data, sizeof data - 1, &limits);
	assert_true(g_utf8_validate(v->body, -1, NULL));
	assert_non_null(strstr(v->body, "body with nul"));
	g_autoptr(TwView) empty = tw_mail_view_new("", 0, &limits);
	assert_string_equal(empty->body, "");
	assert_string_equal(empty->subject, "");
	assert_int_equal(empty->from->len, 0);
}

static void
test_looks_like_mail(void **state)
{
	static const char *const yes[] = {
		"Subject: x\n\nbody",
		"From someone@example.com Mon Jul 14 10:00:00 2025\nFrom: a@b\n\n",
		"X-Any-Field:value\r\n\r\n",
		"Received: from x\n\tby y\nSubject: s\n\n",
		"Subject : obsolete syntax\n\n", /* RFC 5322 4.5.3 */
	};
	static const char *const no[] = {
		"",
		"\nSubject: after a blank line\n",
		"[general]\nrules = x\n",
		"just some text without a colon\n",
		"has space in name: no\n",
		"From nobody\n\nSubject: x\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(yes); i++)
		assert_true(tw_mail_looks_like_mail(yes[i], strlen(yes[i])));
	for (guint i = 0; i < G_N_ELEMENTS(no); i++)
		assert_false(tw_mail_looks_like_mail(no[i], strlen(no[i])));
}

static void
test_registrable_domain(void **state)
{
	static const char *const cases[][2] = {
		{"mail.amazon.co.uk", "amazon.co.uk"},
		{"Sellercentral.Amazon.COM.", "amazon.com"},
		{"a.b.gs.amazon.cn", "amazon.cn"},
		{"x.example.test", "example.test"},
		{"127.0.0.1", "127.0.0.1"},
		{"localhost", "localhost"},
		{"邮件.例子.中国", "例子.中国"},
		{"", ""},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *r = tw_mail_registrable_domain(cases[i][0]);
		assert_string_equal(r, cases[i][1]);
	}
}

static void
test_dump_is_stable(void **state)
{
	g_autoptr(TwView) v = view_of("fullwidth.eml");
	GString *out = g_string_new(NULL);
	tw_mail_view_dump(v, out);
	/* escapes make invisible and control characters visible */
	assert_non_null(strstr(out->str, "\\tOrder\\u{200B}!"));
	assert_non_null(strstr(out->str, "subject: TRO:通知\n"));
	assert_non_null(strstr(out->str, "anomalies: none\n"));
	g_string_free(out, TRUE);
}

static int
setup(void **state)
{
	tw_mail_init();
	return 0;
}

static int
teardown(void **state)
{
	tw_mail_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gbk_labelled_gb2312),
		cmocka_unit_test(test_raw_8bit_gbk_subject),
		cmocka_unit_test(test_encoded_word_split_mid_character),
		cmocka_unit_test(test_encoded_words_other_charsets),
		cmocka_unit_test(test_html_only_with_table),
		cmocka_unit_test(test_fullwidth_folds),
		cmocka_unit_test(test_forwarded_message),
		cmocka_unit_test(test_missing_final_boundary),
		cmocka_unit_test(test_rfc2231_file_names),
		cmocka_unit_test(test_unknown_charset),
		cmocka_unit_test(test_missing_charset_fallbacks),
		cmocka_unit_test(test_empty_links_dropped),
		cmocka_unit_test(test_addresses_and_hidden_fields),
		cmocka_unit_test(test_alternative_qp_crlf_meta_charset),
		cmocka_unit_test(test_raw_header_value_kept),
		cmocka_unit_test(test_limit_message_size),
		cmocka_unit_test(test_limit_header_size),
		cmocka_unit_test(test_limit_text_per_part),
		cmocka_unit_test(test_limit_mime_depth),
		cmocka_unit_test(test_limit_mime_depth_default_hostile),
		cmocka_unit_test(test_limit_mime_parts),
		cmocka_unit_test(test_limit_mime_parts_bounds_the_parse),
		cmocka_unit_test(test_unclosed_multiparts),
		cmocka_unit_test(test_nearly_utf8),
		cmocka_unit_test(test_encoded_word_wrong_charset),
		cmocka_unit_test(test_nul_bytes_and_garbage),
		cmocka_unit_test(test_looks_like_mail),
		cmocka_unit_test(test_registrable_domain),
		cmocka_unit_test(test_dump_is_stable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
