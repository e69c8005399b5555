/* runform.h — the parameters form shown before a runbook is planned or run
 * (the runbooks view): every parameter with its type, default and
 * description, editable, each value checked as it is typed with
 * rb_param_value() (type, bounds); secret values are masked. */
#ifndef FD_TUI_RUNFORM_H
#define FD_TUI_RUNFORM_H

#include <stdbool.h>
#include <wchar.h>

struct tui;
struct tui_runbook;

/* Open the form for r (loaded if it was not); plan: the selection starts on
 * "plan". Returns loop flags; an invalid runbook says why on the status line. */
int runform_open(struct tui *t, struct tui_runbook *r, bool plan);
bool runform_active(const struct tui *t);
/* Keys while the form is open and nothing is being typed (0: not taken). */
int runform_key(struct tui *t, int ch);
/* Keys while a value is being typed (MODE_FIELD). */
int runform_edit_key(struct tui *t, wint_t wc, bool is_key);
void runform_draw(struct tui *t, int top, int height);
void runform_free(struct tui *t);

#endif
