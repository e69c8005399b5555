/* view.h — the views' entry points, listed in views.c's table. */
#ifndef FD_TUI_VIEW_H
#define FD_TUI_VIEW_H

#include "tui/internal.h"

void view_overview_draw(struct tui *t, int top, int height);
void view_metrics_draw(struct tui *t, int top, int height);
int view_metrics_key(struct tui *t, int ch);
void view_alarms_draw(struct tui *t, int top, int height);
void view_asg_draw(struct tui *t, int top, int height);
void view_lb_draw(struct tui *t, int top, int height);
void view_route53_draw(struct tui *t, int top, int height);
void view_xray_draw(struct tui *t, int top, int height);
int view_xray_key(struct tui *t, int ch);
void view_runbooks_draw(struct tui *t, int top, int height);
void view_help_draw(struct tui *t, int top, int height);

/* views.c: helpers for list views. */
/* Clamp the view's scroll so sel is visible in height rows of `rows`. */
void views_clamp(struct view_state *vs, int rows, int height);

#endif
