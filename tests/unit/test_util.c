/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of util and model: values, text folding, escaping, names. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sysexits.h>

#include "trowatch/model.h"
#include "trowatch/util.h"

static void
test_sizes(void **state)
{
	static const struct {
		const char *text;
		guint64 bytes;
	} good[] = {
		{"0", 0},	   {"1000", 1000},	{"512K", 524288},
		{"16M", 16777216}, {"2G", 2147483648u},
	};
	static const char *const bad[] = {"",
					  "K",
					  "16 M",
					  "16m",
					  "-1",
					  "1.5M",
					  "16MB",
					  "99999999999999999999",
					  "17179869184G"};
	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		guint64 v = 1;
		assert_true(tw_util_parse_size(good[i].text, &v, NULL));
		assert_int_equal(v, good[i].bytes);
		g_autofree char *back = tw_util_format_size(v);
		guint64 again = 0;
		assert_true(tw_util_parse_size(back, &again, NULL));
		assert_int_equal(again, v);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		guint64 v = 7;
		assert_false(tw_util_parse_size(bad[i], &v, &error));
		assert_int_equal(v, 7);
		assert_true(g_error_matches(error, TW_ERROR, TW_ERROR_CONFIG));
		assert_non_null(strstr(error->message, "bad size"));
	}
	g_autofree char *s = tw_util_format_size(16 * 1024 * 1024);
	assert_string_equal(s, "16M");
}

static void
test_durations(void **state)
{
	static const struct {
		const char *text;
		gint64 seconds;
		const char *canonical;
	} good[] = {
		{"2s", 2, "2s"},      {"90", 90, "90s"},
		{"6h", 21600, "6h"},  {"90d", 7776000, "90d"},
		{"120m", 7200, "2h"}, {"0s", 0, "0s"},
	};
	static const char *const bad[] = {"", "h", "2 h", "2w", "1.5h", "-5s"};
	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		gint64 v = -1;
		assert_true(tw_util_parse_duration(good[i].text, &v, NULL));
		assert_int_equal(v, good[i].seconds);
		g_autofree char *back = tw_util_format_duration(v);
		assert_string_equal(back, good[i].canonical);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		gint64 v = 0;
		assert_false(tw_util_parse_duration(bad[i], &v, &error));
		assert_non_null(strstr(error->message, "bad duration"));
	}
}

static void
test_fold(void **state)
{
	static const char *const cases[][2] = {
		{"  Temporary\n  Restraining\r\n\tOrder ",
		 "Temporary Restraining Order"},
		{"ＴＲＯ：冻结", "TRO:冻结"},
		{"临时\u3000限制令", "临时 限制令"},
		{"Re\u00ADstrain\u200Bing", "Restraining"},
		{"non\u00A0breaking", "non breaking"},
		{"ﬁle №5", "file No5"},
		{"", ""},
		{" \n\t ", ""},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *f = tw_util_text_fold(cases[i][0], -1);
		assert_string_equal(f, cases[i][1]);
	}
}

static void
test_escape(void **state)
{
	g_autofree char *a = tw_util_escape("a\nb\tc\\d\x01\x7f", -1);
	assert_string_equal(a, "a\\nb\\tc\\\\d\\x01\\x7F");
	g_autofree char *b = tw_util_escape("x\u200By\u202Ez", -1);
	assert_string_equal(b, "x\\u{200B}y\\u{202E}z");
	g_autofree char *c = tw_util_escape("\xff中", -1);
	assert_string_equal(c, "\\xFF中");
	g_autofree char *d = tw_util_escape("abc", 2);
	assert_string_equal(d, "ab");
}

static void
test_loopback(void **state)
{
	assert_true(tw_util_host_is_loopback("127.0.0.1"));
	assert_true(tw_util_host_is_loopback("127.1.2.3"));
	assert_true(tw_util_host_is_loopback("LocalHost"));
	assert_true(tw_util_host_is_loopback("::1"));
	assert_false(tw_util_host_is_loopback("128.0.0.1"));
	assert_false(tw_util_host_is_loopback("127.0.0.1.example.com"));
	assert_false(tw_util_host_is_loopback("127.0.0.256"));
	assert_false(tw_util_host_is_loopback("imap.example.com"));
	assert_false(tw_util_host_is_loopback(NULL));
}

static void
test_exit_codes(void **state)
{
	g_autoptr(GError) usage = g_error_new(TW_ERROR, TW_ERROR_USAGE, "x");
	g_autoptr(GError) config = g_error_new(TW_ERROR, TW_ERROR_CONFIG, "x");
	g_autoptr(GError) temp = g_error_new(TW_ERROR, TW_ERROR_TEMPFAIL, "x");
	g_autoptr(GError) other =
		g_error_new(G_FILE_ERROR, G_FILE_ERROR_NOENT, "x");
	assert_int_equal(tw_util_exit_code(NULL), EX_OK);
	assert_int_equal(tw_util_exit_code(usage), EX_USAGE);
	assert_int_equal(tw_util_exit_code(config), EX_CONFIG);
	assert_int_equal(tw_util_exit_code(temp), EX_TEMPFAIL);
	assert_int_equal(tw_util_exit_code(other), EX_SOFTWARE);
}

static void
test_model_names(void **state)
{
	assert_string_equal(tw_severity_name(TW_SEVERITY_CRITICAL), "critical");
	assert_int_equal(tw_severity_parse("medium"), TW_SEVERITY_MEDIUM);
	assert_int_equal(tw_severity_parse("Medium"), -1);
	assert_string_equal(tw_anomaly_name(TW_ANOMALY_8BIT_HEADER),
			    "8bit-header");
	assert_null(
		tw_anomaly_name(TW_ANOMALY_TRUNCATED | TW_ANOMALY_TOO_DEEP));
	g_autofree char *j = tw_anomaly_join(
		TW_ANOMALY_RULE_LIMIT | TW_ANOMALY_TRUNCATED, ",");
	assert_string_equal(j, "truncated,rule-limit");
	g_autofree char *none = tw_anomaly_join(0, ",");
	assert_string_equal(none, "");
}

static void
test_limits_defaults(void **state)
{
	TwLimits l;
	tw_limits_init(&l);
	/* product.md, "Limits" */
	assert_int_equal(l.message_size, 16 * 1024 * 1024);
	assert_int_equal(l.header_size, 512 * 1024);
	assert_int_equal(l.mime_depth, 32);
	assert_int_equal(l.mime_parts, 1000);
	assert_int_equal(l.text_per_part, 2 * 1024 * 1024);
	assert_int_equal(l.match_limit, 1000000);
	assert_int_equal(l.jit_stack, 1024 * 1024);
	assert_int_equal(l.rule_budget_ms, 2000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_model_names),
		cmocka_unit_test(test_limits_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
