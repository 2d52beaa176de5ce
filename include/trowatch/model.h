/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model: the plain data every layer passes on.  It knows GLib only, so the
 * rule engine can read a message view without knowing GMime, and the store
 * can keep a verdict without knowing the rules.  Symbols are named after
 * their type (tw_view_*, tw_limits_*, tw_anomaly_*).
 */
#ifndef TROWATCH_MODEL_H
#define TROWATCH_MODEL_H

#include <glib.h>

G_BEGIN_DECLS

/* Severities, in increasing order. */
typedef enum {
	TW_SEVERITY_NONE,
	TW_SEVERITY_LOW,
	TW_SEVERITY_MEDIUM,
	TW_SEVERITY_HIGH,
	TW_SEVERITY_CRITICAL,
	TW_SEVERITY_COUNT
} TwSeverity;

/* "none", "low", ... ; tw_severity_parse() returns -1 for an unknown name. */
const char *tw_severity_name(TwSeverity severity);
int tw_severity_parse(const char *name);

/*
 * Anomaly flags, set on a view by the parser and on a verdict by the rule
 * engine.  They are bits so that a set of them is one guint.
 */
typedef enum {
	TW_ANOMALY_TRUNCATED = 1u << 0,
	TW_ANOMALY_HEADER_TRUNCATED = 1u << 1,
	TW_ANOMALY_TEXT_TRUNCATED = 1u << 2,
	TW_ANOMALY_TOO_DEEP = 1u << 3,
	TW_ANOMALY_TOO_MANY_PARTS = 1u << 4,
	TW_ANOMALY_BAD_CHARSET = 1u << 5,
	TW_ANOMALY_MISSING_BOUNDARY = 1u << 6,
	TW_ANOMALY_8BIT_HEADER = 1u << 7,
	TW_ANOMALY_RULE_LIMIT = 1u << 8,
} TwAnomaly;
#define TW_ANOMALY_COUNT 9

/* The name product.md gives the flag ("bad-charset"); NULL if not one flag. */
const char *tw_anomaly_name(TwAnomaly flag);
/* Every flag set in @flags, in the order of the enum, as names joined by @sep. */
char *tw_anomaly_join(guint flags, const char *sep);

/*
 * The bounds of product.md's [limits] section.  tw_limits_init() fills in the
 * documented defaults; the configuration overrides them.
 */
typedef struct {
	guint64 message_size;  /* bytes of a message that are read */
	guint64 header_size;   /* bytes of the header block that are read */
	guint mime_depth;      /* nesting below the top-level entity */
	guint mime_parts;      /* entities read, the message itself included */
	guint64 text_per_part; /* decoded bytes of one text part */
	guint64 match_limit;   /* PCRE2 match limit */
	guint64 jit_stack;     /* PCRE2 JIT stack, bytes */
	gint64 rule_budget_ms; /* time for all rules over one message */
} TwLimits;

void tw_limits_init(TwLimits *limits);

/*
 * The message view: what a message says, decoded, in the shapes the rule
 * targets of rules.md match.  All strings are valid UTF-8 and owned by the
 * view; arrays hold pointers to the element types below.  A view is
 * immutable once built and freed with tw_view_free().
 */
typedef struct {
	char *name;	   /* decoded display name, or NULL */
	char *addr;	   /* addr-spec as written: local@host, or "" */
	char *domain;	   /* host part, lower case, or "" */
	char *registrable; /* registrable domain of @domain (libpsl), or @domain */
	char *display; /* "Name <addr>", or "<addr>" when there is no name */
} TwAddress;

typedef struct {
	char *name;  /* field name as written */
	char *value; /* decoded (RFC 2047, fallback charsets), unfolded */
	char *raw;   /* the bytes after the colon, made valid UTF-8 */
} TwHeader;

typedef struct {
	char *uri;	   /* as found (HTML: the href; text: the run) */
	char *host;	   /* lower case, or "" when there is none */
	char *registrable; /* registrable domain of @host, or @host */
} TwUri;

typedef struct {
	char *name;   /* decoded file name (RFC 2231 or 2047), or "" */
	char *type;   /* "application/pdf" */
	guint64 size; /* decoded bytes */
} TwAttachment;

/* One MIME entity as the parser saw it, in document order. */
typedef struct {
	char *id;	    /* "1", "1.2", "1.2.1": the path from the top */
	char *type;	    /* "text/plain", lower case */
	char *charset;	    /* declared charset, or NULL */
	char *used_charset; /* what the text was decoded from, or NULL */
	char *encoding;	    /* Content-Transfer-Encoding, lower case, or NULL */
	char *filename;	    /* decoded file name, or NULL */
	guint64 size;	    /* decoded bytes (leaf parts), 0 for containers */
	gboolean text;	    /* its text is part of the body */
} TwPart;

typedef struct {
	GPtrArray *headers;  /* TwHeader*, top level, X-Trowatch-* left out */
	char *subject;	     /* folded (tw_util_text_fold), "" when absent */
	char *message_id;    /* without angle brackets, or NULL */
	char *date;	     /* ISO 8601 with offset, or NULL when absent/bad */
	GPtrArray *from;     /* TwAddress* */
	GPtrArray *to;	     /* TwAddress*, To then Cc */
	GPtrArray *reply_to; /* TwAddress* */
	GPtrArray *return_path; /* TwAddress*: zero or one */
	char *rawbody;	 /* decoded text of every text part, lines kept */
	char *body;	 /* rawbody folded */
	GPtrArray *uris; /* TwUri*, deduplicated, in order of appearance */
	GPtrArray *attachments; /* TwAttachment* */
	GPtrArray *parts;	/* TwPart* */
	guint anomalies;	/* TwAnomaly bits */
	guint64 size;		/* bytes of the message that were read */
} TwView;

TwView *tw_view_new(void);
void tw_view_free(TwView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TwView, tw_view_free)

/* The first header field called @name (case-insensitive), or NULL. */
const TwHeader *tw_view_header(const TwView *view, const char *name);

/*
 * A verdict: what the rules made of one message.  Scores are exact
 * hundredths (1450 is 14.5).  Built by the rule engine, read by everything
 * after it; freed with tw_verdict_free().
 */
typedef struct {
	char *name;
	gint64 score; /* hundredths */
} TwHit;

typedef struct {
	char *name;	   /* "case", "court", "plaintiff", ... */
	GPtrArray *values; /* char*, normalised, deduplicated, in order found */
} TwFact;

/* Values kept per fact; later ones are dropped. */
#define TW_FACT_VALUES_MAX 500

/* What a case number said besides its key. */
typedef struct {
	char *key;	/* "25-cv-07412" */
	char *division; /* "1", or NULL */
	char *judge;	/* "JPC", or NULL */
	char *text;	/* as written */
} TwCaseDetail;

/* With explain: the first match of a rule that fired. */
typedef struct {
	char *rule;
	char *target; /* "body", "header Subject", ... */
	char *text;   /* the matched text, trimmed */
} TwMatch;

void tw_match_free(TwMatch *match);

typedef struct {
	TwSeverity severity;
	gint64 score; /* hundredths */
	gboolean suspect;
	GPtrArray *tags;    /* char*, in order of first appearance */
	GPtrArray *hits;    /* TwHit*, in evaluation order */
	GPtrArray *facts;   /* TwFact*, in order of first appearance */
	GPtrArray *cases;   /* TwCaseDetail*, one per distinct key */
	GPtrArray *matches; /* TwMatch*, only when explain was asked */
	guint anomalies;    /* TwAnomaly bits: the view's and rule-limit */
	int floor;	    /* the floor that applied (a TwSeverity), or -1 */
	int cap;	    /* the cap that applied (a TwSeverity), or -1 */
} TwVerdict;

TwVerdict *tw_verdict_new(void);
void tw_verdict_free(TwVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TwVerdict, tw_verdict_free)

/* Add @value to fact @name unless it is there already or the fact holds
 * TW_FACT_VALUES_MAX values. */
void tw_verdict_add_fact(TwVerdict *verdict, const char *name,
			 const char *value);
/* The fact @name, or NULL. */
const TwFact *tw_verdict_fact(const TwVerdict *verdict, const char *name);
/* Add a tag unless present. */
void tw_verdict_add_tag(TwVerdict *verdict, const char *tag);

/* "14.5", "-3", "0.25": hundredths as the shortest decimal. */
char *tw_score_format(gint64 hundredths);

/* Where a message came from and what it says of itself, for its JSON. */
typedef struct {
	const char *path;	 /* "FILE" or "FILE:N" for files, else NULL */
	const char *source_kind; /* "file", "stdin", "imap", "mta" */
	const char *source_path; /* the file, for "file" */
	const char *message_id;	 /* without angle brackets, or NULL */
	const char *date;	 /* ISO 8601, or NULL */
	const char *from;	 /* the first From address, or NULL */
	const char *subject;	 /* decoded, or NULL */
} TwMessageInfo;

/*
 * The verdict as the one-line JSON object of product.md ("v": 1), with
 * "matches" when @explain; appended to @out without a newline.  Scores are
 * written as exact decimals (14.5, 0.1), which a double-based JSON writer
 * cannot promise, so this writer is our own.
 */
void tw_verdict_json(const TwVerdict *verdict, const TwMessageInfo *info,
		     gboolean explain, GString *out);

/* @s as a JSON string literal ("null" for NULL), appended to @out. */
void tw_json_string(GString *out, const char *s);

G_END_DECLS

#endif
