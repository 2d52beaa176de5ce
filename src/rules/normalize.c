/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fact normalisers: case numbers, courts, dates, amounts, platforms, IP types. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "normalize.h"

/*
 * Every normaliser first folds its input the same way: NFKC (full-width
 * digits, colon, parentheses and currency signs become ASCII), every dash
 * a hyphen, every run of white space one space, invisible characters gone.
 * Mail writes "２４－ｃｖ" and "24‑cv" (non-breaking hyphen) as often as
 * "24-cv".  NULL for invalid UTF-8.
 */
static gboolean
is_invisible(gunichar c)
{
	return c == 0x00AD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 ||
	       c == 0xFEFF;
}

static gboolean
is_dash(gunichar c)
{
	return (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 ||
	       c == 0xFE63 || c == 0xFF0D;
}

static char *
fold(const char *text)
{
	if (text == NULL || !g_utf8_validate(text, -1, NULL))
		return NULL;
	g_autofree char *nfkc = g_utf8_normalize(text, -1, G_NORMALIZE_NFKC);
	if (nfkc == NULL)
		return NULL;

	GString *out = g_string_sized_new(strlen(nfkc));
	gboolean space = FALSE;
	for (const char *p = nfkc; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c)) {
			space = out->len > 0;
			continue;
		}
		if (is_invisible(c))
			continue;
		if (space) {
			g_string_append_c(out, ' ');
			space = FALSE;
		}
		if (is_dash(c))
			g_string_append_c(out, '-');
		else
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* White space off both ends, Unicode's too (U+3000); @text is UTF-8. */
static char *
trim(const char *text)
{
	const char *start = text;
	while (*start && g_unichar_isspace(g_utf8_get_char(start)))
		start = g_utf8_next_char(start);
	const char *end = start + strlen(start);
	while (end > start) {
		const char *prev = g_utf8_prev_char(end);
		if (!g_unichar_isspace(g_utf8_get_char(prev)))
			break;
		end = prev;
	}
	return g_strndup(start, (gsize)(end - start));
}

/* The text as written with only its white space tidied; NULL if empty. */
static char *
collapse_space(const char *text)
{
	if (text == NULL || !g_utf8_validate(text, -1, NULL))
		return NULL;

	GString *out = g_string_sized_new(strlen(text));
	gboolean space = FALSE;
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || is_invisible(c) || c == 0x85) {
			space = out->len > 0;
			continue;
		}
		if (space) {
			g_string_append_c(out, ' ');
			space = FALSE;
		}
		g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* Case-insensitive ASCII word at @p, not running on into more letters. */
static gboolean
word_at(const char *p, const char *word)
{
	size_t n = strlen(word);
	return g_ascii_strncasecmp(p, word, n) == 0 && !g_ascii_isalpha(p[n]);
}

static gboolean
starts_with(const char *p, const char *prefix)
{
	return strncmp(p, prefix, strlen(prefix)) == 0;
}

/* ---- courts ---- */

/*
 * The federal districts.  Every writing of a court is reduced to a key of
 * lower-case ASCII letters and digits plus CJK characters; the table maps
 * each key built from these rows (Bluebook, postal, CM/ECF, full name,
 * Chinese) to the Bluebook abbreviation.  Chinese names carry no 州: the
 * key drops it, so 伊利诺伊州北区 and 伊利诺伊北区 meet.
 */
typedef struct {
	const char *postal; /* "il": NDIL and CM/ECF ilnd */
	const char *name;   /* "illinois", letters only */
	const char *abbr;   /* Bluebook "Ill." */
	const char *alts;   /* other abbreviations, space separated */
	const char *zh;	    /* Chinese names, '|' separated */
	const char *dirs;   /* districts n s e w m c; "" for one */
} CourtState;

static const CourtState court_states[] = {
	{"al", "alabama", "Ala.", "", "阿拉巴马|亚拉巴马", "nms"},
	{"ak", "alaska", "Alaska", "", "阿拉斯加", ""},
	{"az", "arizona", "Ariz.", "", "亚利桑那", ""},
	{"ar", "arkansas", "Ark.", "", "阿肯色", "ew"},
	{"ca", "california", "Cal.", "calif", "加利福尼亚|加", "necs"},
	{"co", "colorado", "Colo.", "", "科罗拉多", ""},
	{"ct", "connecticut", "Conn.", "", "康涅狄格|康乃狄克", ""},
	{"de", "delaware", "Del.", "", "特拉华|德拉瓦", ""},
	{"dc", "columbia", "D.C.", "", "哥伦比亚特区|华盛顿特区", ""},
	{"fl", "florida", "Fla.", "", "佛罗里达|佛", "nms"},
	{"ga", "georgia", "Ga.", "", "佐治亚|乔治亚|佐|乔", "nms"},
	{"hi", "hawaii", "Haw.", "", "夏威夷", ""},
	{"id", "idaho", "Idaho", "", "爱达荷", ""},
	{"il", "illinois", "Ill.", "", "伊利诺伊|伊利诺斯|伊利诺|伊", "ncs"},
	{"in", "indiana", "Ind.", "", "印第安纳", "ns"},
	{"ia", "iowa", "Iowa", "", "艾奥瓦|爱荷华", "ns"},
	{"ks", "kansas", "Kan.", "kans", "堪萨斯", ""},
	{"ky", "kentucky", "Ky.", "", "肯塔基", "ew"},
	{"la", "louisiana", "La.", "", "路易斯安那", "emw"},
	{"me", "maine", "Me.", "", "缅因", ""},
	{"md", "maryland", "Md.", "", "马里兰", ""},
	{"ma", "massachusetts", "Mass.", "", "马萨诸塞|麻萨诸塞|麻省", ""},
	{"mi", "michigan", "Mich.", "", "密歇根|密西根", "ew"},
	{"mn", "minnesota", "Minn.", "", "明尼苏达", ""},
	{"ms", "mississippi", "Miss.", "", "密西西比", "ns"},
	{"mo", "missouri", "Mo.", "", "密苏里", "ew"},
	{"mt", "montana", "Mont.", "", "蒙大拿", ""},
	{"ne", "nebraska", "Neb.", "nebr", "内布拉斯加", ""},
	{"nv", "nevada", "Nev.", "", "内华达", ""},
	{"nh", "newhampshire", "N.H.", "", "新罕布什尔|新罕布夏", ""},
	{"nj", "newjersey", "N.J.", "", "新泽西", ""},
	{"nm", "newmexico", "N.M.", "", "新墨西哥", ""},
	{"ny", "newyork", "N.Y.", "", "纽约", "nsew"},
	{"nc", "northcarolina", "N.C.", "", "北卡罗来纳|北卡罗莱纳|北卡",
	 "emw"},
	{"nd", "northdakota", "N.D.", "ndak", "北达科他|北达科塔", ""},
	{"oh", "ohio", "Ohio", "", "俄亥俄", "ns"},
	{"ok", "oklahoma", "Okla.", "", "俄克拉何马|俄克拉荷马", "new"},
	{"or", "oregon", "Or.", "ore", "俄勒冈", ""},
	{"pa", "pennsylvania", "Pa.", "penn penna", "宾夕法尼亚|宾西法尼亚|宾",
	 "emw"},
	{"pr", "puertorico", "P.R.", "", "波多黎各", ""},
	{"ri", "rhodeisland", "R.I.", "", "罗得岛|罗德岛", ""},
	{"sc", "southcarolina", "S.C.", "", "南卡罗来纳|南卡罗莱纳|南卡", ""},
	{"sd", "southdakota", "S.D.", "sdak", "南达科他|南达科塔", ""},
	{"tn", "tennessee", "Tenn.", "", "田纳西", "emw"},
	{"tx", "texas", "Tex.", "", "德克萨斯|得克萨斯|德", "nsew"},
	{"ut", "utah", "Utah", "", "犹他", ""},
	{"vt", "vermont", "Vt.", "", "佛蒙特", ""},
	{"va", "virginia", "Va.", "", "弗吉尼亚|维吉尼亚|弗", "ew"},
	{"wa", "washington", "Wash.", "", "华盛顿|华", "ew"},
	{"wv", "westvirginia", "W. Va.", "", "西弗吉尼亚|西维吉尼亚", "ns"},
	{"wi", "wisconsin", "Wis.", "wisc", "威斯康星|威斯康辛", "ew"},
	{"wy", "wyoming", "Wyo.", "", "怀俄明", ""},
};

static const char *
dir_word(char d)
{
	switch (d) {
	case 'n':
		return "northern";
	case 's':
		return "southern";
	case 'e':
		return "eastern";
	case 'w':
		return "western";
	case 'm':
		return "middle";
	default:
		return "central";
	}
}

static const char *
dir_zh(char d)
{
	switch (d) {
	case 'n':
		return "北";
	case 's':
		return "南";
	case 'e':
		return "东";
	case 'w':
		return "西";
	default: /* no state has both a middle and a central district */
		return "中";
	}
}

/* Letters of "Ill." or "W. Va.", lower case: "ill", "wva". */
static char *
compact_abbr(const char *abbr)
{
	GString *s = g_string_new(NULL);
	for (const char *p = abbr; *p; p++)
		if (g_ascii_isalpha(*p))
			g_string_append_c(s, g_ascii_tolower(*p));
	return g_string_free(s, FALSE);
}

#define COURT_KEY_MAX 64

static void court_add(GHashTable *t, const char *canon, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static void
court_add(GHashTable *t, const char *canon, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *key = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_assert(strlen(key) <= COURT_KEY_MAX);
	if (g_hash_table_contains(t, key))
		g_free(key); /* the same court again: abbreviation = postal */
	else
		g_hash_table_insert(t, key, (gpointer)canon);
}

static void
court_add_district(GHashTable *t, const CourtState *st, char d)
{
	/* "N.D." + " Ill." but "S.D." + "N.Y.": Bluebook closes up
	 * abbreviations made of single capitals. */
	gboolean closed = strlen(st->abbr) == 4 && st->abbr[1] == '.' &&
			  st->abbr[3] == '.';
	const char *gap = closed ? "" : " ";
	g_autofree char *display =
		d ? g_strdup_printf("%c.D.%s%s", g_ascii_toupper(d), gap,
				    st->abbr)
		  : g_strdup_printf("D.%s%s", gap, st->abbr);
	const char *canon = g_intern_string(display);
	g_autofree char *dp = d ? g_strdup_printf("%cd", d) : g_strdup("d");
	const char *full = d ? dir_word(d) : "";
	g_autofree char *abbr = compact_abbr(st->abbr);
	g_auto(GStrv) alts = g_strsplit(st->alts, " ", -1);
	g_auto(GStrv) zh = g_strsplit(st->zh, "|", -1);

	court_add(t, canon, "%s%s", dp, abbr);
	for (char **a = alts; *a; a++)
		if (**a)
			court_add(t, canon, "%s%s", dp, *a);
	court_add(t, canon, "%s%s", dp, st->name);
	court_add(t, canon, "%sof%s", dp, st->name);
	court_add(t, canon, "%s%s", dp, st->postal);
	court_add(t, canon, "%sof%s", dp, abbr);
	court_add(t, canon, "%sdistrictof%s", full, st->name);
	court_add(t, canon, "%sdistrictof%s", full, st->postal);
	court_add(t, canon, "%sdistof%s", full, st->name);
	if (d) {
		court_add(t, canon, "%sdistrict%s", full, st->name);
		court_add(t, canon, "%s%cd", st->postal, d); /* CM/ECF */
	} else {
		court_add(t, canon, "%sd", st->postal);
	}
	for (char **z = zh; *z; z++) {
		if (d) {
			court_add(t, canon, "%s%s区", *z, dir_zh(d));
			court_add(t, canon, "%s%s部", *z, dir_zh(d));
		} else {
			court_add(t, canon, "%s", *z);
		}
	}
}

static GHashTable *
court_table(void)
{
	static gsize once;
	static GHashTable *table;

	if (g_once_init_enter(&once)) {
		GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal,
						      g_free, NULL);
		for (guint i = 0; i < G_N_ELEMENTS(court_states); i++) {
			const CourtState *st = &court_states[i];
			if (*st->dirs == '\0')
				court_add_district(t, st, 0);
			for (const char *d = st->dirs; *d; d++)
				court_add_district(t, st, *d);
		}
		table = t;
		g_once_init_leave(&once, 1);
	}
	return table;
}

/* Traditional characters of court names, to their simplified forms. */
static gunichar
simplify(gunichar c)
{
	static const char trad[] =
		"區聯諾紐約亞賓華頓薩蘭羅達澤維爾喬納馬諸蘇內"
		"東國岡猶緬懷來島奧愛倫";
	static const char simp[] =
		"区联诺纽约亚宾华顿萨兰罗达泽维尔乔纳马诸苏内"
		"东国冈犹缅怀来岛奥爱伦";
	const char *t = trad, *s = simp;
	for (; *t; t = g_utf8_next_char(t), s = g_utf8_next_char(s))
		if (g_utf8_get_char(t) == c)
			return g_utf8_get_char(s);
	return c;
}

/* Letters and digits (ASCII lower-cased), CJK simplified, 州 dropped. */
static char *
court_key(const char *folded)
{
	GString *k = g_string_new(NULL);
	for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c < 0x80) {
			if (g_ascii_isalnum(c))
				g_string_append_c(k, g_ascii_tolower(c));
		} else if (g_unichar_isalnum(c) && c != 0x5DDE /* 州 */) {
			g_string_append_unichar(k, simplify(c));
		}
	}
	return g_string_free(k, FALSE);
}

/* What may follow a court's name: "Court", "Eastern Division", 法院,
 * 东区分庭, and ".uscourts.gov" of a court's mail domain. */
static gboolean
court_tail_ok(GHashTable *t, const char *canon, const char *tail)
{
	static const char *const tails[] = {
		"",	    "court",	    "districtcourt",
		"法院",	    "联邦地区法院", "联邦地方法院",
		"地区法院", "地方法院",	    "联邦法院",
		"区法院",   "地区",	    "usdistrictcourt",
	};
	for (guint i = 0; i < G_N_ELEMENTS(tails); i++)
		if (strcmp(tail, tails[i]) == 0)
			return TRUE;
	if (g_str_has_suffix(tail, "division") ||
	    g_str_has_suffix(tail, "div") || g_str_has_suffix(tail, "分庭") ||
	    strcmp(tail, "uscourtsgov") == 0)
		return TRUE;
	/* "伊利诺伊州北区 (N.D. Ill.)": the same court named twice */
	return g_hash_table_lookup(t, tail) == canon;
}

char *
tw_rules_normalize_court(const char *text)
{
	/* Longest first within each family: "usdc" before "us". */
	static const char *const heads[] = {
		"inthe", "unitedstates",     "usdc",  "us",	"districtcourt",
		"ecf",	 "distct",	     "court", "forthe", "for",
		"the",	 "美国联邦地区法院", "美国",  "联邦",
	};
	g_autofree char *folded = fold(text);
	if (folded == NULL)
		return NULL;
	g_autofree char *key = court_key(folded);
	GHashTable *t = court_table();

	const char *k = key;
	for (gboolean again = TRUE; again;) {
		again = FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(heads); i++) {
			if (starts_with(k, heads[i]) &&
			    k[strlen(heads[i])] != '\0') {
				k += strlen(heads[i]);
				again = TRUE;
				break;
			}
		}
	}

	/* The longest known name at the front, then an allowed tail.  No
	 * key is longer than COURT_KEY_MAX, which keeps this linear. */
	size_t len = MIN(strlen(k), COURT_KEY_MAX);
	g_autofree char *buf = g_strdup(k);
	for (size_t n = len; n > 0; n--) {
		if ((buf[n] & 0xC0) == 0x80)
			continue; /* inside a UTF-8 sequence */
		char saved = buf[n];
		buf[n] = '\0';
		const char *canon = g_hash_table_lookup(t, buf);
		buf[n] = saved;
		if (canon != NULL && court_tail_ok(t, canon, k + n))
			return g_strdup(canon);
	}
	return NULL;
}

/* ---- case numbers ---- */

/* Exactly @min..@max digits, not running on into more. */
static gboolean
digits(const char **pp, int min, int max, guint *value)
{
	const char *p = *pp;
	guint v = 0;
	int n = 0;
	while (g_ascii_isdigit(*p)) {
		if (++n > max)
			return FALSE;
		v = v * 10 + (guint)(*p - '0');
		p++;
	}
	if (n < min)
		return FALSE;
	*value = v;
	*pp = p;
	return TRUE;
}

/* One separator between parts: spaces and at most one hyphen. */
static gboolean
skip_sep(const char **pp)
{
	const char *p = *pp;
	while (*p == ' ')
		p++;
	if (*p == '-')
		p++;
	while (*p == ' ')
		p++;
	gboolean any = p != *pp;
	*pp = p;
	return any;
}

/* "No.", "Case No.:", "Civil Action No.", "案号：", "#" and the like. */
static const char *
skip_case_prefix(const char *p)
{
	static const char *const words[] = {
		"civil",  "action", "case", "docket",
		"number", "nos",    "no",   "num",
	};
	static const char *const zh[] = {
		"案件编号", "案件号", "案号", "编号", "案件",
		"案件編號", "案件號", "案號", "編號", /* traditional */
	};
	for (;;) {
		while (*p == ' ' || *p == ':' || *p == '.' || *p == '#')
			p++;
		if (starts_with(p, "：")) { /* rawbody is not folded */
			p += strlen("：");
			continue;
		}
		gboolean hit = FALSE;
		for (guint i = 0; !hit && i < G_N_ELEMENTS(words); i++) {
			if (word_at(p, words[i])) {
				p += strlen(words[i]);
				hit = TRUE;
			}
		}
		for (guint i = 0; !hit && i < G_N_ELEMENTS(zh); i++) {
			if (starts_with(p, zh[i])) {
				p += strlen(zh[i]);
				hit = TRUE;
			}
		}
		if (!hit)
			return p;
	}
}

/*
 * [office:]YY<sep>MARK<sep>NUMBER and the dataset form office-YY-cv-NUMBER:
 * 1:24-cv-05678, 24 Civ. 612, 23 C 2965, 24cv11247, 1-24-cv-03089.
 */
static gboolean
parse_case_forward(const char **pp, char *division, guint *yy, guint *num)
{
	const char *p = *pp;

	/* office 0 is real: S.D. Fla. numbers its Fort Lauderdale cases 0: */
	if (g_ascii_isdigit(p[0]) && p[1] == ':') {
		*division = p[0];
		p += 2;
		while (*p == ' ')
			p++;
	} else if (p[0] >= '1' && p[0] <= '9' && p[1] == '-' &&
		   g_ascii_isdigit(p[2]) && g_ascii_isdigit(p[3]) &&
		   p[4] == '-') {
		*division = p[0];
		p += 2;
	}
	if (!digits(&p, 2, 2, yy))
		return FALSE;
	gboolean sep1 = skip_sep(&p);
	gboolean bare_c = FALSE;
	if (g_ascii_strncasecmp(p, "civ", 3) == 0 && !g_ascii_isalpha(p[3])) {
		p += 3;
		if (*p == '.')
			p++;
	} else if (word_at(p, "cv")) {
		p += 2;
	} else if (word_at(p, "c")) {
		p += 1;
		bare_c = TRUE;
	} else {
		return FALSE; /* mc, cr, md, a ticket, a phone number ... */
	}
	gboolean sep2 = skip_sep(&p);
	if (bare_c && !(sep1 && sep2))
		return FALSE; /* "24C5678" is too loose to be a case */
	if (!digits(&p, 1, 6, num))
		return FALSE;
	*pp = p;
	return TRUE;
}

/* C.D. Cal. "CV 13-06837" and W.D. Wash. "C21-1456": marker first. */
static gboolean
parse_case_marker_first(const char **pp, guint *yy, guint *num)
{
	const char *p = *pp;

	if (word_at(p, "cv"))
		p += 2;
	else if (word_at(p, "c"))
		p += 1;
	else
		return FALSE;
	skip_sep(&p);
	if (!digits(&p, 2, 2, yy) || *p != '-')
		return FALSE;
	p++;
	if (!digits(&p, 1, 6, num))
		return FALSE;
	*pp = p;
	return TRUE;
}

/*
 * Judge initials: two to four capitals, C.D. Cal. adds "x" (PJWx); with
 * @lower, the same in lower case, as some people type them after a dash
 * (1:24-cv-05678-jpc).
 */
static gboolean
initials_at(const char *p, gboolean lower, size_t *len)
{
	size_t n = 0;
	while (n < 4 && (lower ? g_ascii_islower(p[n]) : g_ascii_isupper(p[n])))
		n++;
	if (n < 2)
		return FALSE;
	if (p[n] == 'x')
		n++;
	if (g_ascii_isalnum(p[n]))
		return FALSE;
	*len = n;
	return TRUE;
}

/* "SDNY" after a number names the court, not a judge. */
static gboolean
initials_are_court(const char *p, size_t n)
{
	g_autofree char *s = g_strndup(p, n);
	g_autofree char *court = tw_rules_normalize_court(s);
	return court != NULL;
}

/* -JPC, -VMC-AAS, (JPC), (EP) (ISA), " DDP (PJWx)": joined by '-'. */
static char *
parse_judges(const char **pp)
{
	const char *p = *pp;
	GString *judge = NULL;

	for (int i = 0; i < 4; i++) {
		const char *start;
		size_t n;
		const char *q = *p == ' ' ? p + 1 : p;
		gboolean lower = FALSE;
		if (*p == '-' && initials_at(p + 1, FALSE, &n)) {
			start = p + 1;
			p = start + n;
		} else if (*p == '-' && initials_at(p + 1, TRUE, &n)) {
			start = p + 1;
			p = start + n;
			lower = TRUE;
		} else if (*q == '(' && initials_at(q + 1, FALSE, &n) &&
			   q[1 + n] == ')' && !initials_are_court(q + 1, n)) {
			start = q + 1;
			p = start + n + 1;
		} else if (q != p && initials_at(q, FALSE, &n) &&
			   !initials_are_court(q, n)) {
			start = q;
			p = start + n;
		} else {
			break;
		}
		if (judge == NULL)
			judge = g_string_new(NULL);
		else
			g_string_append_c(judge, '-');
		for (size_t k = 0; k < n; k++)
			g_string_append_c(judge,
					  lower ? g_ascii_toupper(start[k])
						: start[k]);
	}
	*pp = p;
	return judge ? g_string_free(judge, FALSE) : NULL;
}

/* After the number: nothing, closing punctuation, or the court's name. */
static gboolean
case_tail_ok(const char *p)
{
	while (*p == ' ' || *p == ',')
		p++;
	g_autofree char *rest = g_strdup(p);
	size_t n = strlen(rest);
	while (n > 0 && strchr(".,; ", rest[n - 1]) != NULL)
		rest[--n] = '\0';
	if (n == 0)
		return TRUE;
	g_autofree char *court = tw_rules_normalize_court(rest);
	return court != NULL;
}

static guint
latest_year(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	return (guint)(g_date_time_get_year(now) % 100) + 1;
}

gboolean
tw_rules_normalize_case(const char *text, TwCaseNumber *out)
{
	g_return_val_if_fail(out != NULL, FALSE);
	memset(out, 0, sizeof(*out));

	g_autofree char *folded = fold(text);
	if (folded == NULL)
		return FALSE;

	const char *start = skip_case_prefix(folded);
	const char *p = start;
	char division = 0;
	guint yy = 0, num = 0;
	if (!parse_case_forward(&p, &division, &yy, &num)) {
		p = start;
		division = 0;
		if (!parse_case_marker_first(&p, &yy, &num))
			return FALSE;
	}
	/* Two-digit years only run forward: a 1990s case is no Schedule A
	 * case, and "99-cv" is likelier to be something else. */
	if (num == 0 || yy > latest_year())
		return FALSE;
	g_autofree char *judge = parse_judges(&p);
	if (!case_tail_ok(p))
		return FALSE;

	out->key = g_strdup_printf("%02u-cv-%05u", yy, num);
	out->division = division ? g_strdup_printf("%c", division) : NULL;
	out->judge = g_steal_pointer(&judge);
	out->text = trim(text);
	return TRUE;
}

void
tw_case_number_clear(TwCaseNumber *c)
{
	if (c == NULL)
		return;
	g_clear_pointer(&c->key, g_free);
	g_clear_pointer(&c->division, g_free);
	g_clear_pointer(&c->judge, g_free);
	g_clear_pointer(&c->text, g_free);
}

/* ---- dates ---- */

#define DATE_MAX_TOKENS 48

typedef struct {
	char kind; /* 'n' number, 'w' word, 's' ASCII symbol, 'h' other */
	gboolean ordinal; /* "16th" */
	gboolean used;
	int ndigits;
	guint value;
	gunichar c;
	char word[16]; /* lower case, dots dropped: "a.m." is "am" */
} DateTok;

typedef struct {
	DateTok tok[DATE_MAX_TOKENS];
	int n;
} DateScan;

static gboolean
date_tokenize(DateScan *ds, const char *s)
{
	const char *p = s;

	ds->n = 0;
	while (*p) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (ds->n == DATE_MAX_TOKENS)
			return FALSE;
		DateTok *t = &ds->tok[ds->n++];
		memset(t, 0, sizeof(*t));
		if (g_ascii_isdigit(*p)) {
			t->kind = 'n';
			while (g_ascii_isdigit(*p)) {
				if (t->ndigits < 9)
					t->value = t->value * 10 +
						   (guint)(*p - '0');
				if (t->ndigits < 99)
					t->ndigits++;
				p++;
			}
			static const char *const ords[] = {"st", "nd", "rd",
							   "th"};
			for (guint i = 0; i < G_N_ELEMENTS(ords); i++) {
				if (word_at(p, ords[i])) {
					t->ordinal = TRUE;
					p += 2;
					break;
				}
			}
		} else if (g_ascii_isalpha(*p)) {
			size_t len = 0;
			gboolean too_long = FALSE;
			t->kind = 'w';
			for (;;) {
				if (g_ascii_isalpha(*p)) {
					if (len + 1 < sizeof(t->word))
						t->word[len++] =
							g_ascii_tolower(*p);
					else
						too_long = TRUE;
					p++;
				} else if (*p == '.') {
					p++; /* "Jul." and "a.m." */
					if (!g_ascii_isalpha(*p))
						break;
				} else {
					break;
				}
			}
			if (too_long)
				strcpy(t->word, "?");
		} else if ((guchar)*p < 0x80) {
			t->kind = 's';
			t->c = (gunichar)*p++;
		} else {
			t->kind = 'h';
			t->c = g_utf8_get_char(p);
			p = g_utf8_next_char(p);
		}
	}
	return TRUE;
}

static const DateTok *
tok_at(const DateScan *ds, int i)
{
	if (i < 0 || i >= ds->n || ds->tok[i].used)
		return NULL;
	return &ds->tok[i];
}

static gboolean
is_num(const DateScan *ds, int i, int lo, int hi)
{
	const DateTok *t = tok_at(ds, i);
	return t && t->kind == 'n' && !t->ordinal && t->ndigits >= lo &&
	       t->ndigits <= hi;
}

static gboolean
is_day(const DateScan *ds, int i)
{
	const DateTok *t = tok_at(ds, i);
	return t && t->kind == 'n' && t->ndigits >= 1 && t->ndigits <= 2;
}

static gboolean
is_year(const DateScan *ds, int i)
{
	return is_num(ds, i, 2, 2) || is_num(ds, i, 4, 4);
}

static gboolean
is_sym(const DateScan *ds, int i, char c)
{
	const DateTok *t = tok_at(ds, i);
	return t && t->kind == 's' && t->c == (gunichar)c;
}

static gboolean
is_cjk(const DateScan *ds, int i, gunichar c)
{
	const DateTok *t = tok_at(ds, i);
	return t && t->kind == 'h' && t->c == c;
}

static gboolean
is_word(const DateScan *ds, int i, const char *w)
{
	const DateTok *t = tok_at(ds, i);
	return t && t->kind == 'w' && strcmp(t->word, w) == 0;
}

static guint
year_of(const DateTok *t)
{
	return t->ndigits == 2 ? 2000 + t->value : t->value;
}

static int
month_at(const DateScan *ds, int i)
{
	static const char *const names[][2] = {
		{"jan", "january"}, {"feb", "february"}, {"mar", "march"},
		{"apr", "april"},   {"may", "may"},	 {"jun", "june"},
		{"jul", "july"},    {"aug", "august"},	 {"sep", "september"},
		{"oct", "october"}, {"nov", "november"}, {"dec", "december"},
	};
	const DateTok *t = tok_at(ds, i);
	if (t == NULL || t->kind != 'w')
		return 0;
	for (int m = 0; m < 12; m++)
		if (strcmp(t->word, names[m][0]) == 0 ||
		    strcmp(t->word, names[m][1]) == 0)
			return m + 1;
	if (strcmp(t->word, "sept") == 0)
		return 9;
	return 0;
}

/* A date starting at token @i: number of tokens, or 0. */
static int
match_date(const DateScan *ds, int i, guint *y, guint *m, guint *d)
{
	const DateTok *t = ds->tok;
	int j;

	/* 2025-07-16, 2025/7/16 */
	if (is_num(ds, i, 4, 4) && i + 1 < ds->n && t[i + 1].kind == 's' &&
	    strchr("-/.", (int)t[i + 1].c) && is_num(ds, i + 2, 1, 2) &&
	    is_sym(ds, i + 3, (char)t[i + 1].c) && is_num(ds, i + 4, 1, 2)) {
		*y = t[i].value, *m = t[i + 2].value, *d = t[i + 4].value;
		return 5;
	}
	/* 7/16/2025, 07-16-25: month first, as in the US */
	if (is_num(ds, i, 1, 2) && i + 1 < ds->n && t[i + 1].kind == 's' &&
	    strchr("-/.", (int)t[i + 1].c) && is_num(ds, i + 2, 1, 2) &&
	    is_sym(ds, i + 3, (char)t[i + 1].c) && is_year(ds, i + 4)) {
		*m = t[i].value, *d = t[i + 2].value, *y = year_of(&t[i + 4]);
		return 5;
	}
	/* 2025年7月16日 */
	if (is_year(ds, i) && is_cjk(ds, i + 1, 0x5E74) &&
	    is_num(ds, i + 2, 1, 2) && is_cjk(ds, i + 3, 0x6708) &&
	    is_num(ds, i + 4, 1, 2) &&
	    (is_cjk(ds, i + 5, 0x65E5) || is_cjk(ds, i + 5, 0x53F7))) {
		*y = year_of(&t[i]), *m = t[i + 2].value, *d = t[i + 4].value;
		return 6;
	}
	/* July 16, 2025; Jul. 16 2025; Jul-16-2025 */
	if ((*m = (guint)month_at(ds, i)) != 0) {
		j = i + 1;
		if (is_sym(ds, j, '-'))
			j++;
		if (is_day(ds, j)) {
			*d = t[j++].value;
			if (is_sym(ds, j, ',') || is_sym(ds, j, '-'))
				j++;
			if (is_year(ds, j)) {
				*y = year_of(&t[j]);
				return j + 1 - i;
			}
		}
	}
	/* 16 July 2025; 16-Jul-2025; 16th day of July, 2025; 16th of July */
	if (is_day(ds, i)) {
		j = i + 1;
		if (is_sym(ds, j, '-'))
			j++;
		if (is_word(ds, j, "day"))
			j++;
		if (is_word(ds, j, "of"))
			j++;
		if ((*m = (guint)month_at(ds, j)) != 0) {
			j++;
			if (is_sym(ds, j, ',') || is_sym(ds, j, '-'))
				j++;
			if (is_year(ds, j)) {
				*d = t[i].value;
				*y = year_of(&t[j]);
				return j + 1 - i;
			}
		}
	}
	return 0;
}

enum { MER_NONE, MER_AM, MER_PM };

static int
meridiem_at(const DateScan *ds, int i)
{
	const DateTok *t = tok_at(ds, i);
	if (t == NULL || t->kind != 'w')
		return MER_NONE;
	if (strcmp(t->word, "am") == 0)
		return MER_AM;
	if (strcmp(t->word, "pm") == 0)
		return MER_PM;
	return MER_NONE;
}

/* 上午 早上 凌晨 are morning; 下午 晚上 傍晚 中午 afternoon or evening. */
static int
zh_meridiem_at(const DateScan *ds, int i)
{
	static const struct {
		gunichar a, b;
		int mer;
	} pairs[] = {
		{0x4E0A, 0x5348, MER_AM}, {0x65E9, 0x4E0A, MER_AM},
		{0x51CC, 0x6668, MER_AM}, {0x4E0B, 0x5348, MER_PM},
		{0x665A, 0x4E0A, MER_PM}, {0x508D, 0x665A, MER_PM},
		{0x4E2D, 0x5348, MER_PM},
	};
	for (guint k = 0; k < G_N_ELEMENTS(pairs); k++)
		if (is_cjk(ds, i, pairs[k].a) && is_cjk(ds, i + 1, pairs[k].b))
			return pairs[k].mer;
	return MER_NONE;
}

/* A time at token @i: number of tokens, or 0; hour and minute set. */
static int
match_time(const DateScan *ds, int i, guint *hour, guint *minute, int *mer)
{
	const DateTok *t = ds->tok;
	int j;

	if (!is_num(ds, i, 1, 2))
		return 0;
	*hour = t[i].value;
	*minute = 0;
	*mer = MER_NONE;
	j = i + 1;
	if (is_sym(ds, j, ':') && is_num(ds, j + 1, 2, 2)) {
		*minute = t[j + 1].value;
		j += 2;
		if (is_sym(ds, j, ':') && is_num(ds, j + 1, 2, 2)) {
			if (t[j + 1].value > 59)
				return 0;
			j += 2; /* seconds: the fact keeps minutes */
		}
	} else if (is_cjk(ds, j, 0x65F6) || is_cjk(ds, j, 0x70B9)) {
		j++; /* 3点, 15时30分, 3点半 */
		if (is_num(ds, j, 1, 2) && is_cjk(ds, j + 1, 0x5206)) {
			*minute = t[j].value;
			j += 2;
		} else if (is_cjk(ds, j, 0x534A)) {
			*minute = 30;
			j++;
		}
		return j - i;
	} else if (meridiem_at(ds, j) == MER_NONE) {
		return 0; /* a bare number is no time */
	}
	*mer = meridiem_at(ds, j);
	if (*mer != MER_NONE)
		j++;
	/* RFC 5322 and ISO offsets: "10:30:00 -0500", "10:30+08:00" */
	if (is_sym(ds, j, '+') || is_sym(ds, j, '-')) {
		if (is_num(ds, j + 1, 4, 4))
			j += 2;
		else if (is_num(ds, j + 1, 2, 2) && is_sym(ds, j + 2, ':') &&
			 is_num(ds, j + 3, 2, 2))
			j += 4;
	}
	return j - i;
}

static gboolean
apply_meridiem(guint *hour, int mer, gboolean strict)
{
	if (mer == MER_NONE)
		return *hour <= 23;
	if (*hour > 12) /* 下午15:00 says it twice; "15 pm" is wrong */
		return !strict && mer == MER_PM && *hour <= 23;
	if (*hour == 0)
		return !strict;
	if (mer == MER_AM && *hour == 12)
		*hour = 0;
	else if (mer == MER_PM && *hour < 12)
		*hour += 12;
	return TRUE;
}

/* Words and signs that may stand around a date without changing it. */
static gboolean
date_filler(const DateTok *t)
{
	static const char *const words[] = {
		"on",	     "at",	 "by",	    "the",	"this",
		"or",	     "before",	 "no",	    "later",	"than",
		"day",	     "of",	 "dated",   "date",	"t",
		"z",	     "utc",	 "gmt",	    "ct",	"cst",
		"cdt",	     "et",	 "est",	    "edt",	"pt",
		"pst",	     "pdt",	 "mt",	    "mst",	"mdt",
		"central",   "eastern",	 "pacific", "mountain", "time",
		"standard",  "daylight", "noon",    "monday",	"tuesday",
		"wednesday", "thursday", "friday",  "saturday", "sunday",
		"mon",	     "tue",	 "tues",    "wed",	"thu",
		"thur",	     "thurs",	 "fri",	    "sat",	"sun",
	};
	/* 星期 周 一..日 天 (weekdays), 于 在 (at, on), the Chinese comma */
	static const gunichar cjk[] = {
		0x661F, 0x671F, 0x5468, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
		0x4E94, 0x516D, 0x65E5, 0x5929, 0x4E8E, 0x5728, 0x3001,
	};

	switch (t->kind) {
	case 'w':
		for (guint i = 0; i < G_N_ELEMENTS(words); i++)
			if (strcmp(t->word, words[i]) == 0)
				return TRUE;
		return FALSE;
	case 's':
		return strchr(",.-()@", (int)t->c) != NULL;
	case 'h':
		for (guint i = 0; i < G_N_ELEMENTS(cjk); i++)
			if (cjk[i] == t->c)
				return TRUE;
		return FALSE;
	default:
		return FALSE;
	}
}

char *
tw_rules_normalize_date(const char *text)
{
	g_autofree char *folded = fold(text);
	if (folded == NULL)
		return NULL;
	g_autofree DateScan *ds = g_new0(DateScan, 1);
	if (!date_tokenize(ds, folded))
		return NULL;

	guint y = 0, m = 0, d = 0;
	int at = -1, len = 0;
	for (int i = 0; i < ds->n && at < 0; i++) {
		if ((len = match_date(ds, i, &y, &m, &d)) > 0)
			at = i;
	}
	if (at < 0)
		return NULL;
	for (int i = at; i < at + len; i++)
		ds->tok[i].used = TRUE;

	int zh_mer = MER_NONE;
	for (int i = 0; i + 1 < ds->n; i++) {
		int mer = zh_meridiem_at(ds, i);
		if (mer != MER_NONE) {
			if (zh_mer != MER_NONE)
				return NULL;
			zh_mer = mer;
			ds->tok[i].used = ds->tok[i + 1].used = TRUE;
		}
	}

	guint hour = 0, minute = 0;
	gboolean has_time = FALSE;
	for (int i = 0; i < ds->n && !has_time; i++) {
		int mer = MER_NONE;
		int tl = match_time(ds, i, &hour, &minute, &mer);
		if (tl == 0)
			continue;
		for (int k = i; k < i + tl; k++)
			ds->tok[k].used = TRUE;
		if (mer != MER_NONE && zh_mer != MER_NONE)
			return NULL;
		if (!apply_meridiem(&hour, mer != MER_NONE ? mer : zh_mer,
				    mer != MER_NONE) ||
		    minute > 59)
			return NULL;
		has_time = TRUE;
	}
	for (int i = 0; i < ds->n; i++)
		if (!ds->tok[i].used && !date_filler(&ds->tok[i]))
			return NULL;

	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NULL;
	if (has_time)
		return g_strdup_printf("%04u-%02u-%02uT%02u:%02u", y, m, d,
				       hour, minute);
	return g_strdup_printf("%04u-%02u-%02u", y, m, d);
}

/* ---- amounts ---- */

/* How sure a currency sign is: "$" and "¥" yield to a written code. */
enum { CUR_WEAK = 1, CUR_STRONG };

typedef struct {
	const char *weak;
	const char *strong;
	gboolean conflict;
} Currency;

static void
currency_note(Currency *cur, const char *code, int strength)
{
	const char **slot = strength == CUR_STRONG ? &cur->strong : &cur->weak;
	if (*slot != NULL && strcmp(*slot, code) != 0)
		cur->conflict = TRUE;
	*slot = code;
}

/* "US$", "HK$", "C$" ... : the letters before a dollar sign. */
static const char *
dollar_code(const char *letters)
{
	static const char *const map[][2] = {
		{"us", "USD"}, {"usd", "USD"}, {"hk", "HKD"}, {"c", "CAD"},
		{"ca", "CAD"}, {"can", "CAD"}, {"a", "AUD"},  {"au", "AUD"},
		{"nt", "TWD"}, {"s", "SGD"},   {"sg", "SGD"}, {"mx", "MXN"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(map); i++)
		if (g_ascii_strcasecmp(letters, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

static gboolean
currency_word(Currency *cur, const char *w)
{
	static const char *const codes[] = {
		"USD", "EUR", "GBP", "CNY", "JPY", "CAD", "AUD", "HKD",
		"SGD", "CHF", "MXN", "INR", "KRW", "TWD", "BRL", "NZD",
	};
	/* "dollars" alone may be Canadian: a code wins over it */
	static const struct {
		const char *word;
		const char *code;
		int strength;
	} words[] = {
		{"rmb", "CNY", CUR_STRONG},   {"yuan", "CNY", CUR_STRONG},
		{"euro", "EUR", CUR_STRONG},  {"euros", "EUR", CUR_STRONG},
		{"pound", "GBP", CUR_STRONG}, {"pounds", "GBP", CUR_STRONG},
		{"dollar", "USD", CUR_WEAK},  {"dollars", "USD", CUR_WEAK},
	};
	for (guint i = 0; i < G_N_ELEMENTS(codes); i++) {
		if (g_ascii_strcasecmp(w, codes[i]) == 0) {
			currency_note(cur, codes[i], CUR_STRONG);
			return TRUE;
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
		if (g_ascii_strcasecmp(w, words[i].word) == 0) {
			currency_note(cur, words[i].code, words[i].strength);
			return TRUE;
		}
	}
	return FALSE;
}

/*
 * "1,234.56", "1.234,56", "12,50", ".5": when both kinds appear the last
 * is the decimal point; a lone comma is one only before one or two digits
 * ("1,234" is grouped), a lone dot always is; the other groups by three.
 */
static gboolean
parse_amount_number(const char *s, size_t len, GString *ipart, GString *fpart)
{
	const char *comma = NULL, *dot = NULL;
	int ncomma = 0, ndot = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ',')
			comma = s + i, ncomma++;
		else if (s[i] == '.')
			dot = s + i, ndot++;
	}
	const char *dec = NULL;
	char group = 0;
	if (ncomma && ndot) {
		dec = comma > dot ? comma : dot;
		group = comma > dot ? '.' : ',';
		if ((dec == comma ? ncomma : ndot) != 1)
			return FALSE;
	} else if (ncomma == 1 && s + len - comma - 1 <= 2) {
		dec = comma;
	} else if (ncomma) {
		group = ',';
	} else if (ndot == 1) {
		dec = dot;
	} else if (ndot) {
		group = '.';
	}

	const char *iend = dec ? dec : s + len;
	int run = 0, groups = 0;
	for (const char *p = s; p < iend; p++) {
		if (*p == group) {
			if ((groups == 0 && (run < 1 || run > 3)) ||
			    (groups > 0 && run != 3))
				return FALSE;
			groups++;
			run = 0;
		} else if (g_ascii_isdigit(*p)) {
			run++;
			if (ipart->len > 0 || *p != '0')
				g_string_append_c(ipart, *p);
		} else {
			return FALSE;
		}
	}
	if (groups > 0 && run != 3)
		return FALSE;
	if (dec) {
		for (const char *p = dec + 1; p < s + len; p++) {
			if (!g_ascii_isdigit(*p))
				return FALSE;
			g_string_append_c(fpart, *p);
		}
		if (fpart->len == 0)
			return FALSE;
	}
	if (ipart->len > 15)
		return FALSE;
	return TRUE;
}

/* 3.5万 is 35000: move four digits over the decimal point. */
static void
times_ten_thousand(GString *ipart, GString *fpart)
{
	for (int i = 0; i < 4; i++) {
		if (fpart->len > 0) {
			g_string_append_c(ipart, fpart->str[0]);
			g_string_erase(fpart, 0, 1);
		} else {
			g_string_append_c(ipart, '0');
		}
	}
	while (ipart->len > 0 && ipart->str[0] == '0')
		g_string_erase(ipart, 0, 1);
}

char *
tw_rules_normalize_amount(const char *text)
{
	static const struct {
		const char *zh;
		const char *code;
		int strength;
	} zh_units[] = {
		{"人民币", "CNY", CUR_STRONG}, {"美元", "USD", CUR_STRONG},
		{"美金", "USD", CUR_STRONG},   {"欧元", "EUR", CUR_STRONG},
		{"英镑", "GBP", CUR_STRONG},   {"日元", "JPY", CUR_STRONG},
		{"港元", "HKD", CUR_STRONG},   {"港币", "HKD", CUR_STRONG},
		{"元", "CNY", CUR_WEAK},
	};
	g_autofree char *s = fold(text);
	if (s == NULL)
		return NULL;

	Currency cur = {NULL, NULL, FALSE};
	g_autoptr(GString) ipart = g_string_new(NULL);
	g_autoptr(GString) fpart = g_string_new(NULL);
	gboolean have_number = FALSE, wan = FALSE;
	const char *p = s;
	while (*p) {
		if (*p == ' ' ||
		    (strchr(".,:;", *p) != NULL && !g_ascii_isdigit(p[1]))) {
			p++; /* "$1,234." ends a sentence; "USD: 5" */
		} else if (g_ascii_isdigit(*p) ||
			   (*p == '.' && g_ascii_isdigit(p[1]))) {
			const char *q = p;
			if (have_number)
				return NULL; /* a range or two amounts */
			while (g_ascii_isdigit(*q) || *q == ',' || *q == '.')
				q++;
			while (q > p && (q[-1] == ',' || q[-1] == '.'))
				q--;
			if (!parse_amount_number(p, (size_t)(q - p), ipart,
						 fpart))
				return NULL;
			have_number = TRUE;
			p = q;
		} else if (g_ascii_isalpha(*p)) {
			const char *q = p;
			while (g_ascii_isalpha(*q))
				q++;
			g_autofree char *w = g_strndup(p, (gsize)(q - p));
			const char *r = *q == ' ' ? q + 1 : q;
			if (*r == '$' && dollar_code(w) != NULL) {
				/* "US$", "US $", "HK$" */
				currency_note(&cur, dollar_code(w), CUR_STRONG);
				q = r + 1;
			} else if (!currency_word(&cur, w)) {
				return NULL;
			}
			p = q;
		} else if (*p == '$') {
			currency_note(&cur, "USD", CUR_WEAK);
			p++;
		} else if (starts_with(p, "¥")) {
			currency_note(&cur, "CNY", CUR_WEAK);
			p += strlen("¥");
		} else if (starts_with(p, "€")) {
			currency_note(&cur, "EUR", CUR_STRONG);
			p += strlen("€");
		} else if (starts_with(p, "£")) {
			currency_note(&cur, "GBP", CUR_STRONG);
			p += strlen("£");
		} else if (starts_with(p, "万") && have_number && !wan) {
			wan = TRUE;
			p += strlen("万");
		} else {
			guint i;
			for (i = 0; i < G_N_ELEMENTS(zh_units); i++) {
				if (starts_with(p, zh_units[i].zh)) {
					currency_note(&cur, zh_units[i].code,
						      zh_units[i].strength);
					p += strlen(zh_units[i].zh);
					break;
				}
			}
			if (i == G_N_ELEMENTS(zh_units))
				return NULL;
		}
	}
	if (!have_number || cur.conflict)
		return NULL;
	const char *code = cur.strong ? cur.strong : cur.weak;
	if (code == NULL)
		return NULL;
	if (wan)
		times_ten_thousand(ipart, fpart);
	if (ipart->len == 0)
		g_string_append_c(ipart, '0');
	/* hundredths, as money is written: 5000.5 is 5000.50; more decimal
	 * places than that are no price anyone states */
	if (fpart->len > 2)
		return NULL;
	if (fpart->len == 1)
		g_string_append_c(fpart, '0');
	if (fpart->len > 0)
		return g_strdup_printf("%s.%s %s", ipart->str, fpart->str,
				       code);
	return g_strdup_printf("%s %s", ipart->str, code);
}

/* ---- platforms and IP types ---- */

typedef struct {
	const char *alias; /* ASCII: a whole word; otherwise a substring */
	const char *value;
} Alias;

/*
 * The first alias in the text wins: "AliExpress (Alibaba Group)" is
 * AliExpress.  ASCII aliases match whole words, so "amazon.co.uk" and
 * "sellercentral.amazon.com" are Amazon but "amazonaws" is nothing;
 * a space in an alias matches any separator ("world first").
 */
static char *
first_alias(const char *text, const Alias *aliases, guint n)
{
	g_autofree char *folded = fold(text);
	if (folded == NULL)
		return NULL;
	g_autofree char *s = g_ascii_strdown(folded, -1);

	const char *best = NULL;
	const char *best_at = NULL;
	for (guint i = 0; i < n; i++) {
		const char *a = aliases[i].alias;
		gboolean ascii = TRUE;
		for (const char *c = a; *c; c++)
			if ((guchar)*c >= 0x80)
				ascii = FALSE;
		for (const char *p = s; *p; p++) {
			if (best_at != NULL && p >= best_at)
				break;
			if (ascii && p > s && g_ascii_isalnum(p[-1]))
				continue;
			const char *q = p, *c = a;
			while (*c) {
				if (*c == ' ' && !g_ascii_isalnum(*q) &&
				    *q != '\0') {
					while (*q && !g_ascii_isalnum(*q) &&
					       (guchar)*q < 0x80)
						q++;
					c++;
				} else if (*c == *q) {
					c++, q++;
				} else {
					break;
				}
			}
			if (*c != '\0' || (ascii && g_ascii_isalnum(*q)))
				continue;
			best = aliases[i].value;
			best_at = p;
			break;
		}
	}
	return g_strdup(best);
}

char *
tw_rules_normalize_platform(const char *text)
{
	static const Alias aliases[] = {
		{"amazon", "amazon"},
		{"amzn", "amazon"},
		{"sellercentral", "amazon"},
		{"亚马逊", "amazon"},
		{"亞馬遜", "amazon"},
		{"walmart", "walmart"},
		{"沃尔玛", "walmart"},
		{"沃爾瑪", "walmart"},
		{"ebay", "ebay"},
		{"易贝", "ebay"},
		{"亿贝", "ebay"},
		{"temu", "temu"},
		{"pinduoduo", "temu"},
		{"kuajingmaihuo", "temu"}, /* Temu's seller centre domain */
		{"拼多多", "temu"},
		{"aliexpress", "aliexpress"},
		{"ali express", "aliexpress"},
		{"速卖通", "aliexpress"},
		{"alibaba", "alibaba"},
		{"1688", "alibaba"},
		{"阿里巴巴", "alibaba"},
		{"shopify", "shopify"},
		{"myshopify", "shopify"},
		{"paypal", "paypal"},
		{"贝宝", "paypal"},
		{"payoneer", "payoneer"},
		{"派安盈", "payoneer"},
		{"pingpong", "pingpong"},
		{"pingpongx", "pingpong"}, /* its domain, pingpongx.com */
		{"ping pong", "pingpong"},
		{"lianlian", "lianlian"},
		{"lianlianpay", "lianlian"},
		{"lianlianglobal", "lianlian"},
		{"lian lian", "lianlian"},
		{"连连", "lianlian"},
		{"worldfirst", "worldfirst"},
		{"world first", "worldfirst"},
		{"万里汇", "worldfirst"},
		{"stripe", "stripe"},
		{"airwallex", "airwallex"},
		{"空中云汇", "airwallex"},
	};
	return first_alias(text, aliases, G_N_ELEMENTS(aliases));
}

char *
tw_rules_normalize_ip_type(const char *text)
{
	/* Design patents before patents: "外观专利" holds "专利", but the
	 * earlier start wins anyway. */
	static const Alias aliases[] = {
		{"design patent", "design-patent"},
		{"design patents", "design-patent"},
		{"designpatent", "design-patent"},
		{"外观专利", "design-patent"},
		{"外观设计", "design-patent"},
		{"设计专利", "design-patent"},
		{"trademark", "trademark"},
		{"trademarks", "trademark"},
		{"trade mark", "trademark"},
		{"trade marks", "trademark"},
		{"service mark", "trademark"},
		{"®", "trademark"},
		{"tm", "trademark"},
		{"商标", "trademark"},
		{"商標", "trademark"},
		{"copyright", "copyright"},
		{"copyrights", "copyright"},
		{"copyrighted", "copyright"},
		{"©", "copyright"},
		{"版权", "copyright"},
		{"版權", "copyright"},
		{"著作权", "copyright"},
		{"著作權", "copyright"},
		{"patent", "patent"},
		{"patents", "patent"},
		{"patented", "patent"},
		{"专利", "patent"},
		{"專利", "patent"},
		{"实用新型", "patent"},
		{"counterfeit", "counterfeit"},
		{"counterfeits", "counterfeit"},
		{"counterfeiting", "counterfeit"},
		{"counterfeited", "counterfeit"},
		{"fake", "counterfeit"},
		{"假冒", "counterfeit"},
		{"仿冒", "counterfeit"},
		{"假货", "counterfeit"},
		{"假貨", "counterfeit"},
	};
	return first_alias(text, aliases, G_N_ELEMENTS(aliases));
}

/* ---- the dispatcher ---- */

/* An ASIN is B0 and eight letters or digits, or a book's ISBN-10. */
static gboolean
is_asin(const char *s)
{
	if (strlen(s) != 10)
		return FALSE;
	for (int i = 0; i < 10; i++)
		if (!g_ascii_isdigit(s[i]) && !g_ascii_isupper(s[i]))
			return FALSE;
	if (s[0] == 'B' && s[1] == '0')
		return TRUE;

	guint sum = 0;
	for (int i = 0; i < 10; i++) {
		guint v;
		if (g_ascii_isdigit(s[i]))
			v = (guint)(s[i] - '0');
		else if (i == 9 && s[i] == 'X')
			v = 10;
		else
			return FALSE;
		sum += (guint)(10 - i) * v;
	}
	return sum % 11 == 0;
}

char *
tw_rules_normalize_fact(const char *name, const char *text)
{
	if (name == NULL || text == NULL)
		return NULL;

	if (strcmp(name, "case") == 0) {
		TwCaseNumber c;
		if (!tw_rules_normalize_case(text, &c))
			return NULL;
		char *key = g_steal_pointer(&c.key);
		tw_case_number_clear(&c);
		return key;
	}
	if (strcmp(name, "court") == 0)
		return tw_rules_normalize_court(text);
	if (strcmp(name, "date") == 0 || strcmp(name, "served") == 0 ||
	    strcmp(name, "issued") == 0 || strcmp(name, "hearing") == 0)
		return tw_rules_normalize_date(text);
	if (strcmp(name, "amount") == 0)
		return tw_rules_normalize_amount(text);
	if (strcmp(name, "platform") == 0)
		return tw_rules_normalize_platform(text);
	if (strcmp(name, "ip_type") == 0)
		return tw_rules_normalize_ip_type(text);
	if (strcmp(name, "asin") == 0) {
		g_autofree char *folded = fold(text);
		if (folded == NULL)
			return NULL;
		char *up = g_ascii_strup(folded, -1);
		if (!is_asin(up)) {
			g_free(up);
			return NULL;
		}
		return up;
	}
	return collapse_space(text);
}
