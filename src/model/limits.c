/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The defaults of product.md's [limits] section, in one place. */
#include "config.h"

#include "trowatch/model.h"

void
tw_limits_init(TwLimits *limits)
{
	*limits = (TwLimits){
		.message_size = 16 * 1024 * 1024,
		.header_size = 512 * 1024,
		.mime_depth = 32,
		.mime_parts = 1000,
		.text_per_part = 2 * 1024 * 1024,
		.match_limit = 1000000,
		.jit_stack = 1024 * 1024,
		.rule_budget_ms = 2000,
	};
}
