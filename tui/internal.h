/* internal.h — what the files of tui/ share: the dashboard state, the flags
 * handlers return, colour roles, and the view, key and command tables.
 *
 * Rules: key and command handlers change state and return flags, never draw;
 * only draw.c (and the view draw functions it calls) writes to the screen.
 */
#ifndef FD_TUI_INTERNAL_H
#define FD_TUI_INTERNAL_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "model/model.h"
#include "tui/fmt.h"
#include "tui/tui.h"

/* What a handler asks the loop to do next (or-ed together). */
enum {
	TUI_HANDLED = 1 << 0,   /* the key was consumed */
	TUI_REDRAW = 1 << 1,    /* draw again (only changed cells go out) */
	TUI_QUIT = 1 << 2,      /* leave the loop */
	TUI_REFRESH = 1 << 3,   /* collect everything now */
	TUI_CLEAR = 1 << 4,     /* repaint the whole screen (Ctrl-L, resize) */
	TUI_RECONFIG = 1 << 5,  /* profile or region changed: rebuild the data source */
	TUI_METRICS = 1 << 6,   /* the metrics statistic, period or range changed */
	TUI_FOCUS = 1 << 7,     /* the opened alarm changed (focus_region, focus_alarm) */
};

/* Named colour roles: views use these, never raw colour pairs. */
enum color_role {
	ROLE_NORMAL, ROLE_TITLE, ROLE_TAB, ROLE_TAB_ON, ROLE_HEADER, ROLE_ACCENT, ROLE_OK,
	ROLE_WARN, ROLE_BAD, ROLE_STALE, ROLE_DIM, ROLE_SELECT, ROLE_BANNER, ROLE_KEY,
	ROLE_BLUE, ROLE_GREEN, ROLE_STATUS, ROLE_ERROR, ROLE_UNKNOWN,
	ROLE_COUNT
};

/* MODE_FIELD: a value of the parameters form is being typed (runform.c);
 * MODE_CONFIRM: the confirmation panel is open (confirm.c); MODE_SECRET: a
 * credentials question from a refresh thread. */
enum tui_mode { MODE_NORMAL, MODE_COMMAND, MODE_FILTER, MODE_PROMPT, MODE_FIELD, MODE_CONFIRM, MODE_SECRET };

/* One line being typed (`:` command, `/` filter, a prompt). */
struct lineedit {
	wchar_t buf[128];
	size_t len;
	size_t cur;
	bool echo;              /* false: shown as '*' (secrets) */
};

enum lineedit_result { LINEEDIT_MORE, LINEEDIT_DONE, LINEEDIT_CANCEL };

/* Per-view position and filter. */
struct view_state {
	int scroll;             /* first list row shown */
	int sel;                /* selected row */
	int rows;               /* rows the last draw had (to clamp movement) */
	char filter[128];       /* `/` filter, "" for none */
	int detail;             /* drill-down level (xray traces, alarms, target groups) */
	int opt[4];             /* view-specific switches (metrics: stat, period, range) */
	char sel_id[256];       /* what the selection is (a trace id, an alarm name): it follows it */
	int drawn_sel;          /* sel when sel_id was taken: a key moved it when they differ */
};

struct tui;
struct runbook;
struct rb_runs_entry;

/* A runbook found on the search path, loaded (rb) or not (error). */
struct tui_runbook {
	char *name;
	char *dir;
	char *description;      /* first line, read cheaply from the file */
	struct runbook *rb;     /* loaded on demand (rb_load compiles jq: slow) */
	char *error;
	bool tried;             /* rb_load was attempted */
};

/* One key binding: the global keys (keys.c) and each view's own (its `keys`
 * table). A row without a label is an alias of a labelled row with the same fn
 * in its table, or of the global key it stands for in that view (help lists
 * the labelled rows; tests/tui/test_keyhelp.sh checks both). */
struct key_binding {
	int key;
	const char *label;      /* how help shows the key */
	const char *help;
	int (*fn)(struct tui *t, int ch);
};

/* One view: by key, by `:` name, drawn only by draw.c. */
struct view {
	const char *name;       /* `:` command and tab label */
	int key;                /* key that selects it */
	const char *help;       /* one line for the help screen */
	/* Draw the body in rows [top, top + height) of stdscr. */
	void (*draw)(struct tui *t, int top, int height);
	/* The view's own keys, tried before the global ones (a row's fn returns 0
	 * when it does not apply now), and listed by the help view; or NULL. */
	const struct key_binding *keys;
	/* Called when the view is selected (load what it shows), or NULL. */
	void (*enter)(struct tui *t);
	/* Data generation shown: the view is redrawn when it changes. */
	unsigned long (*generation)(struct tui *t);
	/* How bad the worst thing the view shows is (its tab is marked when bad), or NULL. */
	enum model_sev (*severity)(struct tui *t);
	/* Enter acts on the view's selection (the confirmation banner then names only :confirm). */
	bool takes_enter;
};

struct tui {
	struct tui_options opt;
	char profile[64];
	char region[64];
	char old_profile[64];   /* what :profile / :region replaced (restored on failure) */
	char old_region[64];
	bool utf8;              /* glyphs beyond ASCII allowed */
	enum fmt_glyphs glyphs;
	int rows, cols;
	int view;               /* index into views_table */
	int prev_view;          /* for Esc out of help */
	struct view_state vs[16];
	enum tui_mode mode;
	struct lineedit le;
	char prompt_label[320];
	char msg[200];          /* status line message */
	enum color_role msg_role;
	unsigned long drawn_gen;/* generation of the last frame drawn */
	long batch_ms;          /* a model change waits since then for the rest of its collection; 0: none */
	enum model_sev verdict_sev; /* the status line's severity, as last drawn */
	unsigned long ui_gen;   /* bumped by every state change the UI makes */
	bool need_draw;
	bool need_clear;
	bool flush_keys;        /* a question was just asked: drop type-ahead once it is on screen */
	long start_ms;
	long frames;            /* frames drawn (bench, tests) */
	char focus_region[64];  /* the alarm opened in the alarms view ("" none) */
	char focus_alarm[256];
	bool traces_told;           /* the source was told the X-Ray view is open */
	const char *metric_stat;/* metrics view: statistic, period, range */
	int metric_period_s;
	int metric_range_s;
	struct runhost *run;    /* the runbook run hosted (runhost.c), NULL when none */
	struct tui_runbook *runbooks; /* runbooks view: found in rb_dirs(), loaded on entry */
	size_t n_runbooks;
	bool runbooks_loaded;
	int runbook_pending;    /* index to rb_load after this frame, -1: none */
	struct runform *form;   /* the parameters form before a run (runform.c), NULL when none */
	struct rb_runs_entry *runs; /* runbooks view: the journaled runs (rb_runs_list) */
	size_t n_runs;
	bool quit_armed;        /* q once during a run: the next q leaves */
	int cursor_y, cursor_x; /* where a view put the field being typed (MODE_FIELD) */
	int confirm_scroll;     /* confirmation panel: first question row shown */
	int confirm_page;       /* question rows the last draw showed (PgUp/PgDn) */
};

/* The model shown, or NULL when the dashboard has no source. */
static inline struct model *tui_model(const struct tui *t)
{
	return t->opt.source ? t->opt.source->model : NULL;
}

/* views.c: the view table, one row per view indexed by enum view_id (the help
 * last: Tab cycles through the others), NULL-terminated by name, and lookups. */
enum view_id {
	VIEW_OVERVIEW, VIEW_METRICS, VIEW_ALARMS, VIEW_ASG, VIEW_LB, VIEW_ROUTE53, VIEW_XRAY,
	VIEW_RUNBOOKS, VIEW_DB, VIEW_SESSIONS, VIEW_CDN, VIEW_HELP, VIEW_COUNT
};
extern const struct view views_table[VIEW_COUNT + 1];
int views_count(void);
int views_by_key(int ch);
const struct view *views_current(const struct tui *t);
struct view_state *views_state(struct tui *t);

/* keys.c: global key bindings. */
extern const struct key_binding keys_table[];
int keys_dispatch(struct tui *t, int ch);
int keys_select_view(struct tui *t, int index);

/* cmds.c: `:` commands, matched by unique prefix. */
struct tui_cmd {
	const char *name;
	const char *args;       /* usage after the name, "" for none */
	const char *help;
	int (*fn)(struct tui *t, const char *arg);
};
/* The `:` commands other than the views' (cmds_find derives those from views_table[]). */
extern const struct tui_cmd cmds_table[];
/* The command whose name starts with word (exact names win); NULL when none or
 * ambiguous, with the candidates written to why. */
const struct tui_cmd *cmds_find(const char *word, char *why, size_t why_size);
int cmds_run(struct tui *t, const char *line);

/* lineedit.c */
void lineedit_start(struct lineedit *le, bool echo);
enum lineedit_result lineedit_key(struct lineedit *le, wint_t ch, bool is_key);
/* The text as UTF-8 into out. */
void lineedit_text(const struct lineedit *le, char *out, size_t size);

/* color.c */
void color_init(bool no_color);
attr_t color_attr(enum color_role role);
short color_pair(enum color_role role);
const char *color_name(enum color_role role);
/* The role of a severity, the same in every view: ok, unknown, warn, bad. */
enum color_role color_sev(enum model_sev sev);

/* term.c */
int term_start(struct tui *t, struct fd_error *err);
void term_stop(void);
int term_signal_fd(void);
/* Read pending signals; returns TUI_QUIT and/or TUI_CLEAR (resize). */
int term_take_signals(struct tui *t);
void term_update_size(struct tui *t);
long term_now_ms(void);

/* draw.c: the only place that draws. Rows 0 and 1 are the tabs and the status
 * line in words; a view gets rows 2 .. rows-2; the last row is for messages and
 * typing. The smallest terminal drawn: an 80x24 one less a tmux or screen status
 * line, and one more row to spare. */
#define DRAW_MIN_COLS 80
#define DRAW_MIN_ROWS 22
void draw_frame(struct tui *t);
/* Changes whenever rows 0 and 1 (tab marks, status line) would. */
unsigned long draw_chrome_signature(struct tui *t);
void draw_text(struct tui *t, int y, int x, int w, enum color_role role, const char *s);
void draw_textf(struct tui *t, int y, int x, int w, enum color_role role, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void draw_hline(struct tui *t, int y, int x, int w, enum color_role role);
void draw_spark(struct tui *t, int y, int x, int w, enum color_role role, const double *v, size_t n);
void draw_bar(struct tui *t, int y, int x, int w, enum color_role role, double frac);
void draw_weights(struct tui *t, int y, int x, int w, double blue, double green);
/* The time axis under a chart of w columns from x: "-7d", the middle, the end's clock time. */
void draw_time_axis(struct tui *t, int y, int x, int w, int range_s, time_t end);
/* A series over [end - range_s, end) bucketed to the width as a chart h rows high
 * from column 8, scale on the left, time axis below, and a horizontal mark (NAN:
 * none); returns the rows used (h + 1, 0 when it does not fit). */
int draw_chart(struct tui *t, int y, int h, const struct model_series *s, time_t end, int range_s, int period_s,
	       enum color_role role, double mark);
/* "1m", "3h", "7d" for a duration in seconds. */
const char *draw_dur(char *buf, size_t size, int s);
/* A section title with the panel's data age (-1: never fetched, shown "-";
 * DRAW_NO_AGE: none shown) and last error, one row. */
#define DRAW_NO_AGE (-2L)
void draw_section(struct tui *t, int y, const char *title, long age_s, const char *error);

/* confirm.c: the confirmation panel (MODE_CONFIRM) and the banner saying a run waits. */
bool confirm_waiting(const struct tui *t);
/* Changes whenever the banner or the panel's question would. */
unsigned long confirm_signature(const struct tui *t);
/* Enter on the banner, :confirm: open the panel (type-ahead is discarded). */
int confirm_open(struct tui *t);
int confirm_key(struct tui *t, wint_t wc, bool is_key);
/* Close the panel when the run no longer waits. */
void confirm_sync(struct tui *t);
void confirm_draw_banner(struct tui *t, int y);
void confirm_draw(struct tui *t);

/* tui.c */
void tui_message(struct tui *t, enum color_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));


#endif
