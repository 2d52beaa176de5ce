/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: any bytes as a rule file, then over a fixed view, with
 * and without the prefilter and the split into alternatives, which must
 * not change which rules fire.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rules-private.h"
#include "trowatch/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The one scratch file of the run, removed when libFuzzer exits. */
static char *path;

static void
remove_scratch(void)
{
	if (path != NULL)
		g_unlink(path);
}

static TwView *
fixed_view(void)
{
	TwView *v = tw_view_new();
	g_free(v->subject);
	v->subject = g_strdup("Case No. 1:25-cv-07412 Temporary Restraining "
			      "Order");
	g_free(v->body);
	v->body = g_strdup("Lumina Brands v. The Partnerships Identified on "
			   "Schedule A, N.D. Ill., $1,234.56 frozen on "
			   "2025-07-16; 冻结资金 临时限制令 ASIN: B0C1234XYZ");
	g_free(v->rawbody);
	v->rawbody = g_strdup(v->body);
	TwAddress *a = g_new0(TwAddress, 1);
	a->name = g_strdup("Amazon");
	a->addr = g_strdup("a@amazon.com");
	a->domain = g_strdup("amazon.com");
	a->registrable = g_strdup("amazon.com");
	a->display = g_strdup("Amazon <a@amazon.com>");
	g_ptr_array_add(v->from, a);
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static TwView *view;
	static TwLimits limits;

	if (path == NULL) {
		int fd = g_file_open_tmp("trowatch-fuzz-XXXXXX.rules", &path,
					 NULL);
		if (fd < 0)
			__builtin_trap();
		close(fd);
		atexit(remove_scratch);
		view = fixed_view();
		tw_limits_init(&limits);
		limits.match_limit = 10000; /* keep each run short */
	}
	if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
		__builtin_trap();
	char *paths[] = {path, NULL};
	GPtrArray *diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)tw_diag_free);
	GError *error = NULL;
	TwRuleSet *set = tw_rules_load(paths, &limits, diags, &error);
	if (set != NULL) {
		TwEvalOptions options = {.explain = TRUE};
		TwVerdict *v = tw_rules_eval(set, view, &options);
		TwVerdict *fast = tw_rules_eval(set, view, NULL);
		set->prefilter_off = TRUE;
		TwVerdict *slow = tw_rules_eval(set, view, NULL);
		/* a limit may strike one and not the other: the pattern as a
		 * whole backtracks more than its alternatives */
		gboolean limited = (fast->anomalies | slow->anomalies) &
				   TW_ANOMALY_RULE_LIMIT;
		if (!limited && (fast->hits->len != slow->hits->len ||
				 fast->score != slow->score ||
				 fast->facts->len != slow->facts->len))
			__builtin_trap();
		tw_verdict_free(slow);
		tw_verdict_free(fast);
		tw_verdict_free(v);
		tw_rules_free(set);
	} else if (error == NULL) {
		__builtin_trap(); /* NULL without an error breaks the contract */
	}
	for (guint i = 0; i < diags->len; i++)
		g_free(tw_diag_format(g_ptr_array_index(diags, i)));
	g_ptr_array_unref(diags);
	g_clear_error(&error);
	return 0;
}
