/* snapshot.h — the model printed once: JSON (docs/snapshot-schema.md) or text.
 *
 * Pure functions of a model and a time, so their output can be compared
 * byte for byte in tests.
 */
#ifndef FD_SNAPSHOT_H
#define FD_SNAPSHOT_H

#include <jansson.h>
#include <time.h>

#include "base/strbuf.h"
#include "model/model.h"

/* The snapshot document (caller decrefs). */
json_t *snapshot_json(const struct model *m, time_t now);

/* The snapshot as text for a terminal or a chat message. */
void snapshot_text(const struct model *m, time_t now, struct strbuf *out);

/* True when no panel of any region nor Route 53 produced data (everything
 * failed): the snapshot is an error then (exit 2). */
bool snapshot_all_failed(const struct model *m);

#endif
