/* color.c — the one table of colour roles (names -> colours and attributes). */
#include "tui/internal.h"

/* -1 is the terminal's default colour. */
static const struct {
	const char *name;
	short fg, bg;        /* 8/16-colour terminals */
	short fg256, bg256;  /* 256-colour terminals (-2: same as 16) */
	attr_t attr;         /* added when colours are on */
	attr_t mono;         /* used alone when there is no colour */
} roles[ROLE_COUNT] = {
	[ROLE_NORMAL] = { "normal", -1, -1, -2, -2, A_NORMAL, A_NORMAL },
	[ROLE_TITLE] = { "title", COLOR_WHITE, COLOR_BLUE, 231, 24, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_TAB] = { "tab", COLOR_WHITE, COLOR_BLUE, 252, 24, A_NORMAL, A_REVERSE },
	[ROLE_TAB_ON] = { "tab-on", COLOR_BLACK, COLOR_CYAN, 16, 117, A_BOLD, A_BOLD },
	[ROLE_HEADER] = { "header", COLOR_CYAN, -1, 117, -2, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_ACCENT] = { "accent", COLOR_CYAN, -1, 81, -2, A_NORMAL, A_BOLD },
	[ROLE_OK] = { "ok", COLOR_GREEN, -1, 77, -2, A_NORMAL, A_NORMAL },
	[ROLE_WARN] = { "warn", COLOR_YELLOW, -1, 220, -2, A_BOLD, A_BOLD },
	[ROLE_BAD] = { "bad", COLOR_RED, -1, 203, -2, A_BOLD, A_BOLD | A_REVERSE },
	[ROLE_STALE] = { "stale", COLOR_MAGENTA, -1, 176, -2, A_NORMAL, A_UNDERLINE },
	[ROLE_DIM] = { "dim", COLOR_WHITE, -1, 244, -2, A_DIM, A_DIM },
	[ROLE_SELECT] = { "select", COLOR_BLACK, COLOR_WHITE, 16, 250, A_NORMAL, A_REVERSE },
	[ROLE_BANNER] = { "banner", COLOR_WHITE, COLOR_RED, 231, 160, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_KEY] = { "key", COLOR_YELLOW, -1, 222, -2, A_BOLD, A_BOLD },
	[ROLE_BLUE] = { "blue", COLOR_BLUE, -1, 33, -2, A_BOLD, A_NORMAL },
	[ROLE_GREEN] = { "green", COLOR_GREEN, -1, 40, -2, A_BOLD, A_NORMAL },
	[ROLE_STATUS] = { "status", COLOR_WHITE, COLOR_BLUE, 252, 236, A_NORMAL, A_REVERSE },
	[ROLE_ERROR] = { "error", COLOR_WHITE, COLOR_RED, 231, 124, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_UNKNOWN] = { "unknown", COLOR_MAGENTA, -1, 183, -2, A_NORMAL, A_DIM },
};

static attr_t attrs[ROLE_COUNT];
static short pairs[ROLE_COUNT];

/* Set up the pairs for the terminal's colours, or monochrome attributes. */
void color_init(bool no_color)
{
	int r;
	bool c256;

	if (no_color || !has_colors()) {
		for (r = 0; r < ROLE_COUNT; r++) {
			attrs[r] = roles[r].mono;
			pairs[r] = 0;
		}
		return;
	}
	start_color();
	use_default_colors();
	c256 = COLORS >= 256 && COLOR_PAIRS > ROLE_COUNT;
	for (r = 0; r < ROLE_COUNT; r++) {
		short fg = roles[r].fg, bg = roles[r].bg;
		if (c256 && roles[r].fg256 != -2)
			fg = roles[r].fg256;
		if (c256 && roles[r].bg256 != -2)
			bg = roles[r].bg256;
		pairs[r] = (short)(r + 1);
		if (r == ROLE_NORMAL || r + 1 >= COLOR_PAIRS) {
			pairs[r] = 0;
			attrs[r] = r == ROLE_NORMAL ? A_NORMAL : roles[r].mono;
			continue;
		}
		init_pair(pairs[r], fg, bg);
		attrs[r] = roles[r].attr;
	}
}

/* Attributes of a role, without its colour pair. */
attr_t color_attr(enum color_role role)
{
	return role < ROLE_COUNT ? attrs[role] : A_NORMAL;
}

/* The colour pair of a role (0 without colour). */
short color_pair(enum color_role role)
{
	return role < ROLE_COUNT ? pairs[role] : 0;
}

/* The role's name (help screen, tests). */
const char *color_name(enum color_role role)
{
	return role < ROLE_COUNT ? roles[role].name : "?";
}

/* The role of a severity. */
enum color_role color_sev(enum model_sev sev)
{
	static const enum color_role by_sev[] = {
		[MODEL_SEV_OK] = ROLE_OK,
		[MODEL_SEV_UNKNOWN] = ROLE_UNKNOWN,
		[MODEL_SEV_WARN] = ROLE_WARN,
		[MODEL_SEV_BAD] = ROLE_BAD,
	};

	return (unsigned)sev <= MODEL_SEV_BAD ? by_sev[sev] : ROLE_UNKNOWN;
}
