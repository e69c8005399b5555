/* view.h — the views' entry points, listed in views.c's table. */
#ifndef FD_TUI_VIEW_H
#define FD_TUI_VIEW_H

#include "tui/internal.h"

void view_overview_draw(struct tui *t, int top, int height);
void view_metrics_draw(struct tui *t, int top, int height);
extern const struct key_binding view_metrics_keys[];
void view_alarms_draw(struct tui *t, int top, int height);
extern const struct key_binding view_alarms_keys[];
void view_asg_draw(struct tui *t, int top, int height);
void view_lb_draw(struct tui *t, int top, int height);
extern const struct key_binding view_lb_keys[];
void view_route53_draw(struct tui *t, int top, int height);
void view_xray_draw(struct tui *t, int top, int height);
extern const struct key_binding view_xray_keys[];
void view_runbooks_draw(struct tui *t, int top, int height);
void view_runbooks_enter(struct tui *t);
extern const struct key_binding view_runbooks_keys[];
void view_runbooks_free(struct tui *t);
void view_runbooks_load_pending(struct tui *t);
void view_db_draw(struct tui *t, int top, int height);
void view_sessions_draw(struct tui *t, int top, int height);
void view_cdn_draw(struct tui *t, int top, int height);
void view_help_draw(struct tui *t, int top, int height);

/* views.c: helpers for list views. */
/* Esc in a view with a drill-down: out of it (after the filter: the global Esc clears that first). */
int views_key_back(struct tui *t, int ch);
/* Clamp the view's scroll so sel is visible in height rows of `rows`. */
void views_clamp(struct view_state *vs, int rows, int height);



struct model_status;

/* Seconds since the status' last success (-1: never). */
long views_age(const struct model_status *st);
/* "Code: message" of the status' last error into buf, or NULL when none. */
const char *views_error(const struct model_status *st, char *buf, size_t size);
/* A section row for a regional panel: the oldest age and the first error of the regions. */
void views_section_panel(struct tui *t, int y, const char *title, int panel);
/* A section row for one status (global panels). */
void views_section_status(struct tui *t, int y, const char *title, const struct model_status *st);
/* A model string or "-" when NULL. */
const char *views_s(const char *s);
#endif
