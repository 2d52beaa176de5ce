/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the fact normalisers: case numbers, courts, dates, amounts, ... */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "normalize.h"

/*
 * cmocka names only the failed line; a table test reports every row that
 * differs, then fails once on the count.
 */
static guint mismatches;

static void
expect_str(const char *what, const char *input, const char *got,
	   const char *want)
{
	if (g_strcmp0(got, want) != 0) {
		print_error("%s(\"%s\"): got \"%s\", want \"%s\"\n", what,
			    input, got ? got : "(null)",
			    want ? want : "(null)");
		mismatches++;
	}
}

static int
reset_mismatches(void **state)
{
	mismatches = 0;
	return 0;
}

static void
test_case_accepts(void **state)
{
	static const struct {
		const char *text;
		const char *key;
		const char *division;
		const char *judge;
	} good[] = {
		/* rules.md */
		{"1:24-cv-05678-JPC", "24-cv-05678", "1", "JPC"},
		{"1:24-cv-05678-jpc", "24-cv-05678", "1", "JPC"},
		{"24-cv-5678 (JPC)", "24-cv-05678", NULL, "JPC"},
		{"No. 24 C 5678", "24-cv-05678", NULL, NULL},
		{"24 Civ. 5678", "24-cv-05678", NULL, NULL},
		{"案号：1:24-cv-05678", "24-cv-05678", "1", NULL},
		{"案號 1:25-cv-04418", "25-cv-04418", "1", NULL},
		{"案件編號：25-cv-4418", "25-cv-04418", NULL, NULL},
		/* domain.md §2.7 */
		{"1:24-cv-01234", "24-cv-01234", "1", NULL},
		{"No. 25-cv-06151", "25-cv-06151", NULL, NULL},
		{"18 CV 2188", "18-cv-02188", NULL, NULL},
		{"23 C 2965", "23-cv-02965", NULL, NULL},
		{"1:21-cv-20112-BB", "21-cv-20112", "1", "BB"},
		{"9:08-cv-80119-KAM", "08-cv-80119", "9", "KAM"},
		{"0:26-cv-60118-WPD", "26-cv-60118", "0",
		 "WPD"}, /* S.D. Fla., Fort Lauderdale */
		{"1:23-cv-09238-JLR", "23-cv-09238", "1", "JLR"},
		{"23-cv-9238 (JLR)", "23-cv-09238", NULL, "JLR"},
		{"23 Civ. 612 (JHR)", "23-cv-00612", NULL, "JHR"},
		{"18-cv-10524 (LGS)", "18-cv-10524", NULL, "LGS"},
		{"2:25-cv-730", "25-cv-00730", "2", NULL},
		{"8:24-cv-615-TPB-CPT", "24-cv-00615", "8", "TPB-CPT"},
		{"4:24-CV-922-SDJ", "24-cv-00922", "4", "SDJ"},
		{"2:23-cv-00898-TMC", "23-cv-00898", "2", "TMC"},
		{"C21-1456-BJR-SKV", "21-cv-01456", NULL, "BJR-SKV"},
		{"24cv11247 (EP) (ISA)", "24-cv-11247", NULL, "EP-ISA"},
		{"2:18-cv-08352-ODW (AGR)", "18-cv-08352", "2", "ODW-AGR"},
		{"CV 13-06837 DDP (PJWx)", "13-cv-06837", NULL, "DDP-PJWx"},
		{"1-24-cv-03089", "24-cv-03089", "1", NULL},
		{"CV-25-64370", "25-cv-64370", NULL, NULL},
		/* prefixes, markers, spacing */
		{"Case No. 1:25-cv-06151", "25-cv-06151", "1", NULL},
		{"Case No.: 24-CV-5678.", "24-cv-05678", NULL, NULL},
		{"Civil Action No. 2:25-cv-730", "25-cv-00730", "2", NULL},
		{"Case: 1:24-cv-05678", "24-cv-05678", "1", NULL},
		{"#24-cv-5678", "24-cv-05678", NULL, NULL},
		{"案件编号：24-cv-123456", "24-cv-123456", NULL, NULL},
		{"24 civ 5678", "24-cv-05678", NULL, NULL},
		{"24 C 5678 (JPC)", "24-cv-05678", NULL, "JPC"},
		{"1:24-cv-05678-VMC-AAS", "24-cv-05678", "1", "VMC-AAS"},
		{"1:24-cv-012345", "24-cv-12345", "1", NULL},
		{"00-cv-1", "00-cv-00001", NULL, NULL},
		/* a court after the number is no judge */
		{"No. 1:24-cv-05678 (N.D. Ill.)", "24-cv-05678", "1", NULL},
		{"1:24-cv-05678 (SDNY)", "24-cv-05678", "1", NULL},
		{"Case No. 24-cv-5678, N.D. Ill.", "24-cv-05678", NULL, NULL},
		/* full width, non-breaking hyphens, en dash */
		{"１：２４－ｃｖ－０５６７８", "24-cv-05678", "1", NULL},
		{"案号：1:24\u2011cv\u201105678（JPC）", "24-cv-05678", "1",
		 "JPC"},
		{"24\u2013cv\u20135678", "24-cv-05678", NULL, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		TwCaseNumber c;
		if (!tw_rules_normalize_case(good[i].text, &c)) {
			print_error("case(\"%s\") rejected\n", good[i].text);
			mismatches++;
			continue;
		}
		expect_str("case key", good[i].text, c.key, good[i].key);
		expect_str("case division", good[i].text, c.division,
			   good[i].division);
		expect_str("case judge", good[i].text, c.judge, good[i].judge);
		expect_str("case text", good[i].text, c.text, good[i].text);
		tw_case_number_clear(&c);
		assert_null(c.key);
		assert_null(c.text);
	}
	assert_int_equal(mismatches, 0);
}

static void
test_case_text_trimmed(void **state)
{
	TwCaseNumber c;
	assert_true(tw_rules_normalize_case("  No. 1:24-cv-05678-JPC \n", &c));
	assert_string_equal(c.text, "No. 1:24-cv-05678-JPC");
	assert_string_equal(c.key, "24-cv-05678");
	tw_case_number_clear(&c);
	assert_true(
		tw_rules_normalize_case("\u3000案号：24-cv-5678\u00A0", &c));
	assert_string_equal(c.text, "案号：24-cv-5678");
	tw_case_number_clear(&c);
	tw_case_number_clear(&c); /* twice is harmless */
	tw_case_number_clear(NULL);
}

static void
test_case_rejects(void **state)
{
	static const char *const bad[] = {
		"112-3456789-1234567", /* Amazon order id */
		"order 112-3456789-1234567",
		"25-0012345", /* support ticket */
		"Ticket #25-0012345",
		"312-555-0142", /* phone numbers */
		"+86 138 0013 8000",
		"2025-07-16", /* dates */
		"07-16-2025",
		"60601-1234",	     /* ZIP+4 */
		"978-0-306-40615-7", /* ISBNs */
		"0-306-40615-2",
		"25-cv-", /* no number */
		"25-cv-0",
		"24 cv",
		"1:25-mc-00123", /* miscellaneous, criminal: not civil actions */
		"1:24-cr-00123",
		"99-cv-01234", /* implausible year */
		"24-cv-1234567",
		"124-cv-5678",
		"2024-cv-05678",
		"24C5678", /* bare C needs spaces */
		"C 5678",
		"cv-5678",
		"Case No. 24-cv-5678 Document 12",
		"24-cv-5678abc",
		"No.",
		"",
		"   ",
		"\xff\xfe",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		TwCaseNumber c;
		memset(&c, 0xA5, sizeof(c));
		if (tw_rules_normalize_case(bad[i], &c)) {
			print_error("case(\"%s\") accepted as %s\n", bad[i],
				    c.key);
			mismatches++;
			tw_case_number_clear(&c);
			continue;
		}
		assert_null(c.key);
		assert_null(c.division);
		assert_null(c.judge);
		assert_null(c.text);
	}
	assert_int_equal(mismatches, 0);
}

/* Years run to next year: computed, so the test does not age. */
static void
test_case_year_window(void **state)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	int next = g_date_time_get_year(now) % 100 + 1;
	TwCaseNumber c;

	if (next <= 99) {
		g_autofree char *ok = g_strdup_printf("%02d-cv-1", next);
		g_autofree char *key = g_strdup_printf("%02d-cv-00001", next);
		assert_true(tw_rules_normalize_case(ok, &c));
		assert_string_equal(c.key, key);
		tw_case_number_clear(&c);
	}
	if (next + 1 <= 99) {
		g_autofree char *late = g_strdup_printf("%02d-cv-1", next + 1);
		assert_false(tw_rules_normalize_case(late, &c));
		assert_null(c.key);
	}
}

static void
test_court(void **state)
{
	static const char *const good[][2] = {
		{"N.D. Ill.", "N.D. Ill."},
		{"N.D.Ill.", "N.D. Ill."},
		{"N.D. Illinois", "N.D. Ill."},
		{"NDIL", "N.D. Ill."},
		{"ilnd", "N.D. Ill."},
		{"ILND", "N.D. Ill."},
		{"Northern District of Illinois", "N.D. Ill."},
		{"United States District Court for the Northern District of "
		 "Illinois",
		 "N.D. Ill."},
		{"Northern District of Illinois, Eastern Division",
		 "N.D. Ill."},
		{"U.S. District Court, N.D. Ill.", "N.D. Ill."},
		{"ＮＤＩＬ", "N.D. Ill."},
		{"伊利诺伊州北区", "N.D. Ill."},
		{"伊利诺伊北区", "N.D. Ill."},
		{"伊利诺伊州北区法院", "N.D. Ill."},
		{"美国伊利诺伊州北区联邦地区法院", "N.D. Ill."},
		{"伊利諾伊州北區", "N.D. Ill."},
		{"伊利诺伊州北区 (N.D. Ill.)", "N.D. Ill."},
		{"S.D.N.Y.", "S.D.N.Y."},
		{"SDNY", "S.D.N.Y."},
		{"nysd", "S.D.N.Y."},
		{"Southern District of New York", "S.D.N.Y."},
		{"纽约南区", "S.D.N.Y."},
		{"E.D.N.Y.", "E.D.N.Y."},
		{"S.D. Fla.", "S.D. Fla."},
		{"S.D. Florida", "S.D. Fla."},
		{"flsd", "S.D. Fla."},
		{"Southern District of Florida", "S.D. Fla."},
		{"佛罗里达州南区", "S.D. Fla."},
		{"M.D. Fla.", "M.D. Fla."},
		{"flmd", "M.D. Fla."},
		{"Middle District of Florida", "M.D. Fla."},
		{"W.D. Pa.", "W.D. Pa."},
		{"pawd", "W.D. Pa."},
		{"Western District of Pennsylvania", "W.D. Pa."},
		{"宾夕法尼亚州西区", "W.D. Pa."},
		{"宾夕法尼亚西区", "W.D. Pa."},
		{"E.D. Tex.", "E.D. Tex."},
		{"txed", "E.D. Tex."},
		{"Eastern District of Texas", "E.D. Tex."},
		{"德克萨斯州东区", "E.D. Tex."},
		{"W.D. Wash.", "W.D. Wash."},
		{"wawd", "W.D. Wash."},
		{"Western District of Washington", "W.D. Wash."},
		{"华盛顿州西区", "W.D. Wash."},
		{"D.N.J.", "D.N.J."},
		{"DNJ", "D.N.J."},
		{"njd", "D.N.J."},
		{"District of New Jersey", "D.N.J."},
		{"新泽西州", "D.N.J."},
		{"新泽西州联邦地区法院", "D.N.J."},
		{"C.D. Cal.", "C.D. Cal."},
		{"C.D. Calif.", "C.D. Cal."},
		{"cacd", "C.D. Cal."},
		{"Central District of California", "C.D. Cal."},
		{"加利福尼亚州中区", "C.D. Cal."},
		{"加州中区", "C.D. Cal."},
		{"N.D. Cal.", "N.D. Cal."},
		{"E.D. Va.", "E.D. Va."},
		{"vaed", "E.D. Va."},
		{"Eastern District of Virginia", "E.D. Va."},
		{"弗吉尼亚州东区", "E.D. Va."},
		{"N.D. Ga.", "N.D. Ga."},
		{"gand", "N.D. Ga."},
		{"佐治亚州北区", "N.D. Ga."},
		{"M.D. Tenn.", "M.D. Tenn."},
		{"tnmd", "M.D. Tenn."},
		{"S.D. Tex.", "S.D. Tex."},
		{"D. Del.", "D. Del."},
		{"District of Columbia", "D.D.C."},
		{"N.D. W. Va.", "N.D. W. Va."},
		{"西弗吉尼亚州北区", "N.D. W. Va."},
		{"C.D. Ill.", "C.D. Ill."},
		{"ecf.ilnd.uscourts.gov", "N.D. Ill."},
		{"伊利诺伊州北区联邦法院东区分庭", "N.D. Ill."},
		{"USDC NDIL", "N.D. Ill."},
		{"佛州南区", "S.D. Fla."},
	};
	static const char *const bad[] = {
		"",
		"Illinois",
		"New Jersey", /* a state is no court, even with one district */
		"Northern District",
		"Eastern District of Illinois",
		"Central District of Florida",
		"Supreme Court",
		"N.D. Foo.",
		"court",
		"Amazon",
		"伊利诺伊",
		"北区",
		"N.D. Ill. and S.D.N.Y.",
		"SDNYX",
		"\xc3\x28",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *got = tw_rules_normalize_court(good[i][0]);
		expect_str("court", good[i][0], got, good[i][1]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *got = tw_rules_normalize_court(bad[i]);
		expect_str("court", bad[i], got, NULL);
	}
	assert_int_equal(mismatches, 0);
}

static void
test_date(void **state)
{
	static const char *const good[][2] = {
		{"7/16/2025", "2025-07-16"},
		{"07/16/25", "2025-07-16"},
		{"07-16-2025", "2025-07-16"},
		{"7.16.2025", "2025-07-16"},
		{"on 7/16/2025", "2025-07-16"},
		{"July 16, 2025", "2025-07-16"},
		{"July 16 2025", "2025-07-16"},
		{"JULY 16, 2025", "2025-07-16"},
		{"Jul. 16, 2025", "2025-07-16"},
		{"jul 16, 25", "2025-07-16"},
		{"Sept. 3, 2025", "2025-09-03"},
		{"July 16th, 2025", "2025-07-16"},
		{"Wednesday, July 16, 2025", "2025-07-16"},
		{"16 July 2025", "2025-07-16"},
		{"16-Jul-2025", "2025-07-16"},
		{"16th day of July, 2025", "2025-07-16"},
		{"2025-07-16", "2025-07-16"},
		{"2025/7/16", "2025-07-16"},
		{"2024-02-29", "2024-02-29"},
		{"2025年7月16日", "2025-07-16"},
		{"２０２５年７月１６日", "2025-07-16"},
		{"2025年7月16号", "2025-07-16"},
		{"2025年7月16日（星期三）", "2025-07-16"},
		{"July 16, 2025 at 10:30 a.m.", "2025-07-16T10:30"},
		{"July 16, 2025 at 2:00 PM CT", "2025-07-16T14:00"},
		{"July 16, 2025, 12:15 p.m.", "2025-07-16T12:15"},
		{"12:00 am on July 16, 2025", "2025-07-16T00:00"},
		{"10 a.m. July 16, 2025", "2025-07-16T10:00"},
		{"07/16/2025 14:30", "2025-07-16T14:30"},
		{"2025-07-16T09:05", "2025-07-16T09:05"},
		{"2025-07-16 09:05:30", "2025-07-16T09:05"},
		{"2025年7月16日 下午3:00", "2025-07-16T15:00"},
		{"2025年7月16日下午3点30分", "2025-07-16T15:30"},
		{"2025年7月16日上午9点半", "2025-07-16T09:30"},
		{"２０２５年７月１６日 １５：００", "2025-07-16T15:00"},
		{"2025年7月16日 凌晨0点", "2025-07-16T00:00"},
		{"Tue, 16 Jul 2025 10:30:00 -0500", "2025-07-16T10:30"},
		{"2025-07-16T10:30:00+08:00", "2025-07-16T10:30"},
		{"the 16th of July, 2025", "2025-07-16"},
		{"on or before August 6, 2025", "2025-08-06"},
	};
	static const char *const bad[] = {
		"2/30/2025",
		"13/01/2025",
		"16/07/2025", /* month first, as in the US */
		"2025-02-29",
		"2025-13-01",
		"July 32, 2025",
		"July 16",
		"2025年2月30日",
		"0/12/2025",
		"1/0/2025",
		"1/1/1899",
		"7/16/2025 25:00",
		"7/16/2025 10:61",
		"13:00 pm July 16, 2025",
		"7/16/2025 and 7/17/2025",
		"yesterday",
		"10:30",
		"312-555-0142",
		"112-3456789-1234567",
		"",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *got = tw_rules_normalize_date(good[i][0]);
		expect_str("date", good[i][0], got, good[i][1]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *got = tw_rules_normalize_date(bad[i]);
		expect_str("date", bad[i], got, NULL);
	}
	assert_int_equal(mismatches, 0);
}

static void
test_amount(void **state)
{
	static const char *const good[][2] = {
		{"$1,234.56", "1234.56 USD"},
		{"$1,234", "1234 USD"},
		{"$ 12,345,678.90", "12345678.90 USD"},
		{"$0.50", "0.50 USD"},
		{"USD 1,234.56", "1234.56 USD"},
		{"1234.56 USD", "1234.56 USD"},
		{"usd 5", "5 USD"},
		{"US$1,234", "1234 USD"},
		{"USD $1,234.56", "1234.56 USD"},
		{"100 dollars", "100 USD"},
		{"¥5,000", "5000 CNY"},
		{"￥5,000", "5000 CNY"},
		{"5000元", "5000 CNY"},
		{"5,000.00 元", "5000.00 CNY"},
		{"人民币5000元", "5000 CNY"},
		{"RMB 5,000", "5000 CNY"},
		{"CNY 5000.5", "5000.50 CNY"},
		{"$12,345.6", "12345.60 USD"},
		{"€12.50", "12.50 EUR"},
		{"EUR 12.50", "12.50 EUR"},
		{"12,50 €", "12.50 EUR"},
		{"1.234.567,89 €", "1234567.89 EUR"},
		{"£300", "300 GBP"},
		{"¥5,000 JPY", "5000 JPY"},
		{"$100 CAD", "100 CAD"},
		{"CAD 100 dollars", "100 CAD"},
		{"HK$200", "200 HKD"},
		{"US $100", "100 USD"},
		{"C$100", "100 CAD"},
		{"3.5万美元", "35000 USD"},
		{"12万元", "120000 CNY"},
		{"$1,234.", "1234 USD"},
	};
	static const char *const bad[] = {
		"",
		"$",
		"USD",
		"no amount",
		"1,234.56",
		"$1,2345",
		"$1,23,456",
		"$1.2.3",
		"$100-$200",
		"$100 €100",
		"$5000元",
		"USD 100 EUR",
		"€1,000 GBP",
		"12 apples $",
		"$99999999999999999",
		"$1,234,567.891",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *got = tw_rules_normalize_amount(good[i][0]);
		expect_str("amount", good[i][0], got, good[i][1]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *got = tw_rules_normalize_amount(bad[i]);
		expect_str("amount", bad[i], got, NULL);
	}
	assert_int_equal(mismatches, 0);
}

static void
test_platform(void **state)
{
	static const char *const good[][2] = {
		{"Amazon", "amazon"},
		{"amazon.co.uk", "amazon"},
		{"sellercentral.amazon.com", "amazon"},
		{"Amazon Seller Central", "amazon"},
		{"亚马逊", "amazon"},
		{"Walmart Marketplace", "walmart"},
		{"eBay Inc.", "ebay"},
		{"ebay.com", "ebay"},
		{"TEMU", "temu"},
		{"拼多多", "temu"},
		{"AliExpress", "aliexpress"},
		{"速卖通", "aliexpress"},
		{"AliExpress (Alibaba Group)", "aliexpress"},
		{"Alibaba.com", "alibaba"},
		{"阿里巴巴", "alibaba"},
		{"Shopify", "shopify"},
		{"store.myshopify.com", "shopify"},
		{"PayPal", "paypal"},
		{"贝宝", "paypal"},
		{"Payoneer", "payoneer"},
		{"派安盈", "payoneer"},
		{"PingPong", "pingpong"},
		{"LianLian Global", "lianlian"},
		{"连连", "lianlian"},
		{"WorldFirst", "worldfirst"},
		{"World First", "worldfirst"},
		{"万里汇", "worldfirst"},
		{"Stripe", "stripe"},
		{"Airwallex", "airwallex"},
		{"ＡＭＡＺＯＮ", "amazon"},
	};
	static const char *const bad[] = {
		"",
		"Etsy",
		"Shein",
		"amazonaws.com",
		"striped shirt",
		"notpaypal",
		"temporary",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *got = tw_rules_normalize_platform(good[i][0]);
		expect_str("platform", good[i][0], got, good[i][1]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *got = tw_rules_normalize_platform(bad[i]);
		expect_str("platform", bad[i], got, NULL);
	}
	assert_int_equal(mismatches, 0);
}

static void
test_ip_type(void **state)
{
	static const char *const good[][2] = {
		{"Trademark", "trademark"},
		{"trademark infringement", "trademark"},
		{"Trade Mark", "trademark"},
		{"TM", "trademark"},
		{"商标侵权", "trademark"},
		{"Infringement type: Trademark", "trademark"},
		{"Copyright", "copyright"},
		{"版权", "copyright"},
		{"著作权", "copyright"},
		{"Patent", "patent"},
		{"Utility Patent", "patent"},
		{"发明专利", "patent"},
		{"Design Patent", "design-patent"},
		{"design-patent", "design-patent"},
		{"外观专利", "design-patent"},
		{"设计专利", "design-patent"},
		{"外观设计专利", "design-patent"},
		{"Counterfeit", "counterfeit"},
		{"counterfeiting", "counterfeit"},
		{"假冒", "counterfeit"},
		{"trademark counterfeiting", "trademark"},
		{"®", "trademark"},
		{"counterfeit trademark", "counterfeit"},
	};
	static const char *const bad[] = {
		"",	    "infringement", "Intellectual property",
		"patently", "designer",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *got = tw_rules_normalize_ip_type(good[i][0]);
		expect_str("ip_type", good[i][0], got, good[i][1]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *got = tw_rules_normalize_ip_type(bad[i]);
		expect_str("ip_type", bad[i], got, NULL);
	}
	assert_int_equal(mismatches, 0);
}

static void
test_fact(void **state)
{
	static const char *const rows[][3] = {
		{"case", "1:24-cv-05678-JPC", "24-cv-05678"},
		{"case", "112-3456789-1234567", NULL},
		{"court", "ilnd", "N.D. Ill."},
		{"court", "Nowhere", NULL},
		{"date", "July 16, 2025", "2025-07-16"},
		{"served", "7/16/2025", "2025-07-16"},
		{"issued", "2025年7月16日", "2025-07-16"},
		{"hearing", "July 30, 2025 at 10:00 a.m.", "2025-07-30T10:00"},
		{"hearing", "soon", NULL},
		{"amount", "$1,234.56", "1234.56 USD"},
		{"amount", "lots", NULL},
		{"platform", "亚马逊", "amazon"},
		{"platform", "Etsy", NULL},
		{"ip_type", "外观专利", "design-patent"},
		{"ip_type", "infringement", NULL},
		{"asin", " b0abc12345 ", "B0ABC12345"},
		{"asin", "0306406152", "0306406152"}, /* ISBN-10 */
		{"asin", "080442957x", "080442957X"},
		{"asin", "3125550142", NULL}, /* no ISBN check digit */
		{"asin", "B0ABC1234", NULL},
		{"asin", "B0ABC-1234", NULL},
		{"asin", "A0ABC12345", NULL},
		{"complaint", "  1234567890 ", "1234567890"},
		{"plaintiff", "  Acme\n  Brands\tInc. ", "Acme Brands Inc."},
		{"firm", "\u3000GBC\u00A0Law ", "GBC Law"},
		{"store", "   ", NULL},
		{"store", "深圳 小店", "深圳 小店"},
		{"note", "x  y", "x y"},
		{"note", "\xff", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got =
			tw_rules_normalize_fact(rows[i][0], rows[i][1]);
		expect_str(rows[i][0], rows[i][1], got, rows[i][2]);
	}
	assert_null(tw_rules_normalize_fact(NULL, "x"));
	assert_null(tw_rules_normalize_fact("note", NULL));
	assert_int_equal(mismatches, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_case_accepts, reset_mismatches),
		cmocka_unit_test_setup(test_case_text_trimmed,
				       reset_mismatches),
		cmocka_unit_test_setup(test_case_rejects, reset_mismatches),
		cmocka_unit_test_setup(test_case_year_window, reset_mismatches),
		cmocka_unit_test_setup(test_court, reset_mismatches),
		cmocka_unit_test_setup(test_date, reset_mismatches),
		cmocka_unit_test_setup(test_amount, reset_mismatches),
		cmocka_unit_test_setup(test_platform, reset_mismatches),
		cmocka_unit_test_setup(test_ip_type, reset_mismatches),
		cmocka_unit_test_setup(test_fact, reset_mismatches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
