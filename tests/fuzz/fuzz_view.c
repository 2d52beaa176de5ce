/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes through the message view and its dump. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "trowatch/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean ready;
	static TwLimits limits;

	if (!ready) {
		tw_mail_init();
		tw_limits_init(&limits);
		/* small limits so that the fuzzer reaches them */
		limits.mime_depth = 8;
		limits.mime_parts = 50;
		limits.text_per_part = 4096;
		limits.header_size = 2048;
		ready = TRUE;
	}
	TwView *view = tw_mail_view_new((const char *)data, size, &limits);
	GString *out = g_string_new(NULL);
	tw_mail_view_dump(view, out);
	if (!g_utf8_validate(view->body, -1, NULL))
		__builtin_trap();
	g_string_free(out, TRUE);
	tw_view_free(view);
	return 0;
}
