/* fake.h — a test-only data source for the dashboard (no AWS, no simulator).
 *
 * It fills a model with a deterministic petclinic in both regions and changes
 * a few figures every refresh_s, so the frame, the views and the redraw path
 * can be tested and measured before (and without) the collectors. The
 * dashboard uses it when FLIGHTDECK_FAKE_MODEL=1.
 */
#ifndef FD_TUI_FAKE_H
#define FD_TUI_FAKE_H

#include "tui/tui.h"

/* A new source owning its model; refresh_s <= 0 means it never changes. */
struct tui_source *fake_source_new(int refresh_s);
void fake_source_destroy(struct tui_source *s);
/* Let runbook runs use client (borrowed; NULL: no runs). */
void fake_source_set_client(struct tui_source *s, struct client *client);

#endif
