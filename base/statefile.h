/* statefile.h — where flightdeck keeps its files, and how it creates them.
 *
 * One builder of XDG paths (XDG Base Directory Specification): the state
 * directory is $XDG_STATE_HOME/flightdeck, else $HOME/.local/state/flightdeck;
 * the config directory $XDG_CONFIG_HOME/flightdeck, else $HOME/.config/flightdeck.
 * An XDG variable counts only when it is an absolute path (the specification
 * says relative ones are invalid and must be ignored). With HOME unset or empty
 * and no such variable there is no directory ("NoHome"): flightdeck never
 * writes relative to the working directory.
 *
 * State files (journals, locks, the audit log, measurements) are written only
 * through the functions below: directories are created 0700 and must be real
 * directories (not symlinks) owned by this user and not writable by group or
 * others; files are created 0600 and opened with O_NOFOLLOW, must be regular
 * files owned by this user, and are replaced with a new O_EXCL temporary file
 * renamed over them. A symlink planted at any of these paths is refused, never
 * followed.
 */
#ifndef FD_STATEFILE_H
#define FD_STATEFILE_H

#include <stddef.h>

#include "base/error.h"

enum statefile_kind {
	STATEFILE_STATE,    /* journals, locks, the audit log, measurements */
	STATEFILE_CONFIG,   /* config.yaml, runbooks/ (read only) */
};

/* The flightdeck directory of kind (caller frees); NULL with err "NoHome". */
char *statefile_dir(enum statefile_kind kind, struct fd_error *err);
/* statefile_dir(kind) + "/" + name (caller frees); NULL with err "NoHome". */
char *statefile_path(enum statefile_kind kind, const char *name, struct fd_error *err);

/* Create dir and its missing parents (0700); 0 when dir is then a directory
 * (not a symlink) owned by this user and not writable by group or others;
 * -1 with err "StateError" otherwise. */
int statefile_mkdir(const char *dir, struct fd_error *err);
/* statefile_mkdir of the directory part of path. */
int statefile_mkparent(const char *path, struct fd_error *err);

/* Open path for appending, created 0600 when missing, never through a symlink;
 * it must be a regular file of this user (an existing one is made 0600). The
 * descriptor, or -1 with err "StateError". The parent must exist. */
int statefile_open_append(const char *path, struct fd_error *err);
/* Open path for reading, never through a symlink; a regular file. The
 * descriptor, or -1 with err ("NotFound" when it does not exist, errno ENOENT). */
int statefile_open_read(const char *path, struct fd_error *err);
/* Replace path by data atomically: a new 0600 temporary file in the same
 * directory (O_CREAT|O_EXCL|O_NOFOLLOW), written and fsync'ed, renamed over
 * path, the directory fsync'ed. 0, or -1 with err (path is left as it was). */
int statefile_replace(const char *path, const char *data, size_t len, struct fd_error *err);

/* Write all of data to fd, retrying short writes and EINTR; 0 or -1 with errno. */
int statefile_write_all(int fd, const char *data, size_t len);

#endif
