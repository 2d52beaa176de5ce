/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output for people: verdict tables cut to the terminal, explanations. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "trowatch/util.h"

/* product.md: 100 columns when not on a terminal */
#define DEFAULT_WIDTH 100

guint
tw_cli_output_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return DEFAULT_WIDTH;
}

/* Cells a character takes on a terminal: East Asian wide ones take two. */
static guint
cells(gunichar c)
{
	if (g_unichar_iszerowidth(c))
		return 0;
	return g_unichar_iswide(c) ? 2 : 1;
}

void
tw_cli_output_cell(GString *out, const char *text, guint width, gboolean pad)
{
	g_autofree char *escaped = tw_util_escape(text ? text : "", -1);
	guint used = 0;
	const char *p = escaped;
	guint total = 0;

	for (const char *q = escaped; *q; q = g_utf8_next_char(q))
		total += cells(g_utf8_get_char(q));
	/* leave a cell for the ellipsis when the text does not fit */
	guint room = total > width ? width - 1 : width;
	while (*p) {
		guint w = cells(g_utf8_get_char(p));
		if (used + w > room)
			break;
		const char *next = g_utf8_next_char(p);
		g_string_append_len(out, p, next - p);
		used += w;
		p = next;
	}
	if (total > width) {
		g_string_append(out, "…");
		used++;
	}
	while (pad && used < width) {
		g_string_append_c(out, ' ');
		used++;
	}
}

void
tw_cli_output_table_header(GString *out, guint width)
{
	tw_cli_output_row(out, width, "SEVERITY", "SCORE", "CASE", "FROM",
			  "SUBJECT");
}

void
tw_cli_output_row(GString *out, guint width, const char *severity,
		  const char *score, const char *case_key, const char *from,
		  const char *subject)
{
	/* SEVERITY SCORE CASE FROM SUBJECT, one space between */
	/* CASE fits a key and a count of the others: 25-cv-07412+12 */
	const guint sev = 9, sc = 6, cs = 14, fr = 23;
	guint fixed = sev + sc + cs + fr + 4;
	guint rest = width > fixed + 10 ? width - fixed : 10;

	tw_cli_output_cell(out, severity, sev, TRUE);
	g_string_append_c(out, ' ');
	g_string_append_printf(out, "%*s", sc, score);
	g_string_append_c(out, ' ');
	tw_cli_output_cell(out, case_key, cs, TRUE);
	g_string_append_c(out, ' ');
	tw_cli_output_cell(out, from, fr, TRUE);
	g_string_append_c(out, ' ');
	tw_cli_output_cell(out, subject, rest, FALSE);
	/* no trailing blanks */
	while (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	g_string_append_c(out, '\n');
}

void
tw_cli_output_explain(GString *out, const TwVerdict *v, guint width)
{
	for (guint i = 0; i < v->hits->len; i++) {
		const TwHit *h = g_ptr_array_index(v->hits, i);
		const TwMatch *m = NULL;
		for (guint k = 0; k < v->matches->len && m == NULL; k++) {
			const TwMatch *c = g_ptr_array_index(v->matches, k);
			if (strcmp(c->rule, h->name) == 0)
				m = c;
		}
		g_autofree char *number = tw_score_format(h->score);
		g_autofree char *score = g_strdup_printf(
			"%s%s", h->score > 0 ? "+" : "", number);
		g_string_append_printf(out, "    %-28s %6s  ", h->name, score);
		if (m != NULL) {
			g_string_append_printf(out, "%-12s ", m->target);
			if (*m->text) {
				g_autofree char *quoted =
					g_strdup_printf("\"%s\"", m->text);
				guint used = 4 + 28 + 1 + 7 + 2 + 13;
				tw_cli_output_cell(
					out, quoted,
					width > used + 10 ? width - used : 10,
					FALSE);
			}
		}
		while (out->len > 0 && out->str[out->len - 1] == ' ')
			g_string_truncate(out, out->len - 1);
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < v->facts->len; i++) {
		const TwFact *f = g_ptr_array_index(v->facts, i);
		GString *line = g_string_new(NULL);
		for (guint k = 0; k < f->values->len; k++)
			g_string_append_printf(
				line, "%s%s", k ? "; " : "",
				(char *)g_ptr_array_index(f->values, k));
		g_string_append_printf(out, "    fact %-12s ", f->name);
		tw_cli_output_cell(out, line->str, width > 40 ? width - 22 : 18,
				   FALSE);
		g_string_append_c(out, '\n');
		g_string_free(line, TRUE);
	}
	if (v->anomalies != 0) {
		g_autofree char *a = tw_anomaly_join(v->anomalies, " ");
		g_string_append_printf(out, "    anomalies: %s\n", a);
	}
}
