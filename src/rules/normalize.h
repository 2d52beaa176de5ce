/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fact normalisers of rules.md ("Facts"): the text a named group captured,
 * as written, to the canonical value a fact carries.  Pure functions over
 * UTF-8; GLib only.  Internal to src/rules.
 */
#ifndef TROWATCH_RULES_NORMALIZE_H
#define TROWATCH_RULES_NORMALIZE_H

#include <glib.h>

/* A case number: key "YY-cv-NNNNN" plus what else the writing said. */
typedef struct {
	char *key;	/* "24-cv-05678": two-digit year, five-digit number */
	char *division; /* the office digit before the colon ("1"), or NULL */
	char *judge;	/* judge initials as written, several joined with "-"
			 * ("JPC", "VMC-AAS", "EP-ISA"), or NULL */
	char *text;	/* the whole input, prefix included, trimmed */
} TwCaseNumber;

/*
 * Parse a federal civil case number in any writing of rules.md and domain.md
 * (1:24-cv-05678-JPC, 24-cv-5678 (JPC), No. 24 C 5678, 24 Civ. 5678,
 * 案号：1:24-cv-05678, 1-24-cv-03089, 24cv11247 (EP), CV 13-06837 DDP ...).
 * FALSE, leaving @out zeroed, for anything that is not one: order ids,
 * support tickets, phone numbers, dates, an implausible year (the window is
 * 00 to the current two-digit year plus one, so it moves with the clock).
 * @out must not be NULL.
 */
gboolean tw_rules_normalize_case(const char *text, TwCaseNumber *out);
void tw_case_number_clear(TwCaseNumber *c);

/* "N.D. Ill." from a court's name, abbreviation, CM/ECF code or Chinese
 * name; NULL when it names no known court. */
char *tw_rules_normalize_court(const char *text);

/*
 * ISO 8601 "YYYY-MM-DD" (or "YYYY-MM-DDTHH:MM" when a time is given) from
 * US numeric (7/16/2025, 07/16/25), month-name (July 16, 2025; 16 July
 * 2025; Jul. 16, 2025), ISO and Chinese (2025年7月16日) writings; NULL when
 * it is not a valid date.  A zone offset is dropped: the time is local as
 * written.
 */
char *tw_rules_normalize_date(const char *text);

/* "12345.67 USD": number without grouping, space, ISO 4217 code.  "$" is
 * USD, "¥" and "元" CNY unless a code says otherwise; NULL when there is no
 * amount or no currency. */
char *tw_rules_normalize_amount(const char *text);

/* One of amazon walmart ebay temu aliexpress alibaba shopify paypal payoneer
 * pingpong lianlian worldfirst stripe airwallex (names, domains, Chinese
 * names such as 亚马逊, 速卖通, 连连, 万里汇); NULL otherwise. */
char *tw_rules_normalize_platform(const char *text);

/* trademark copyright patent design-patent counterfeit (English and
 * Chinese: 商标, 版权/著作权, 专利/发明专利, 外观专利/设计专利, 假冒); NULL
 * otherwise. */
char *tw_rules_normalize_ip_type(const char *text);

/*
 * The value of any fact: the normalisers above for case (its key), court,
 * date, served, issued, hearing, amount, platform and ip_type; upper case
 * for asin; for every other name the text trimmed, white space collapsed.
 * NULL when a reserved fact does not normalise: that match adds no fact.
 */
char *tw_rules_normalize_fact(const char *name, const char *text);

#endif
