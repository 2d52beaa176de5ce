/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every message of the shared real corpus through the view: no crash, no
 * sanitizer report, valid UTF-8 out.  Skips when the corpus is absent. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "trowatch/mail.h"

static void
collect(const char *dir, GPtrArray *files)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
			collect(path, files);
			g_free(path);
		} else if (g_str_has_suffix(name, ".eml")) {
			g_ptr_array_add(files, path);
		} else {
			g_free(path);
		}
	}
}

static int
compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_corpus_views(void **state)
{
	const char *corpus = g_getenv("TROWATCH_CORPUS");
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	collect(corpus, files);
	g_ptr_array_sort(files, compare);
	assert_true(files->len > 0);

	TwLimits limits;
	tw_limits_init(&limits);
	guint counts[TW_ANOMALY_COUNT] = {0};
	guint64 bytes = 0;
	guint read = 0;
	for (guint i = 0; i < files->len; i++) {
		const char *path = g_ptr_array_index(files, i);
		g_autofree char *data = NULL;
		gsize len = 0;
		if (!g_file_get_contents(path, &data, &len, NULL))
			fail_msg("cannot read %s", path);
		g_autoptr(TwView) v = tw_mail_view_new(data, len, &limits);
		/* everything the rules will see is valid UTF-8 */
		if (!g_utf8_validate(v->body, -1, NULL) ||
		    !g_utf8_validate(v->rawbody, -1, NULL) ||
		    !g_utf8_validate(v->subject, -1, NULL))
			fail_msg("%s: invalid UTF-8 in the view", path);
		for (guint h = 0; h < v->headers->len; h++) {
			const TwHeader *hd = g_ptr_array_index(v->headers, h);
			if (!g_utf8_validate(hd->value, -1, NULL))
				fail_msg("%s: invalid UTF-8 in %s", path,
					 hd->name);
		}
		for (guint a = 0; a < TW_ANOMALY_COUNT; a++)
			if (v->anomalies & (1u << a))
				counts[a]++;
		bytes += len;
		read++;
	}
	printf("# read %u messages (%.1f MiB) from %s\n", read,
	       bytes / 1048576.0, corpus);
	for (guint a = 0; a < TW_ANOMALY_COUNT; a++)
		if (counts[a] > 0)
			printf("#   %-16s %u\n", tw_anomaly_name(1u << a),
			       counts[a]);
	assert_int_equal(read, files->len);
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
	const char *corpus = g_getenv("TROWATCH_CORPUS");
	if (corpus == NULL || !g_file_test(corpus, G_FILE_TEST_IS_DIR)) {
		/* cmocka's skip() is "not ok # SKIP" in TAP, which automake
		 * counts as a failure: skip the whole plan instead */
		printf("1..0 # SKIP corpus not found at %s (set "
		       "TROWATCH_CORPUS)\n",
		       corpus ? corpus : "(unset)");
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_views),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
