/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes as a configuration file. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "trowatch/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The one scratch file of the run, removed when libFuzzer exits. */
static char *path;

static void
remove_scratch(void)
{
	if (path != NULL)
		g_unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{

	if (path == NULL) {
		int fd = g_file_open_tmp("trowatch-fuzz-XXXXXX.conf", &path,
					 NULL);
		if (fd < 0)
			__builtin_trap();
		close(fd);
		atexit(remove_scratch);
	}
	if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
		__builtin_trap();
	GError *error = NULL;
	TwConfig *config = tw_engine_config_load(path, "/nonexistent", &error);
	if (config != NULL) {
		GString *out = g_string_new(NULL);
		tw_engine_config_dump(config, out);
		g_string_free(out, TRUE);
		tw_engine_config_free(config);
	} else if (error == NULL) {
		__builtin_trap(); /* NULL without an error breaks the contract */
	}
	g_clear_error(&error);
	return 0;
}
