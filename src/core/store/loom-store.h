/* loom-store.h: the library database and the identity map of its objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_STORE_ERROR (loom_store_error_quark ())

typedef enum
{
  LOOM_STORE_ERROR_FAILED,
  LOOM_STORE_ERROR_NOT_A_DATABASE,   /* the file is not SQLite at all */
  LOOM_STORE_ERROR_NOT_A_LIBRARY,    /* SQLite, but another program's database */
  LOOM_STORE_ERROR_TOO_NEW,          /* written by a newer Storyloom */
  LOOM_STORE_ERROR_READ_ONLY,
  LOOM_STORE_ERROR_LOCKED,
  LOOM_STORE_ERROR_INVALID,          /* an empty title, a move to another story… */
  LOOM_STORE_ERROR_NOT_FOUND,
  LOOM_STORE_ERROR_CLOSED,
  LOOM_STORE_ERROR_DAMAGED,          /* the file is damaged: nothing more is written to it */
} LoomStoreError;

/* The schema version this build writes; a library with a higher one is refused. */
#define LOOM_STORE_SCHEMA_VERSION 16

#define LOOM_TYPE_STORE (loom_store_get_type ())

G_DECLARE_FINAL_TYPE (LoomStore, loom_store, LOOM, STORE, GObject)

GQuark        loom_store_error_quark       (void);

char         *loom_store_default_path      (void);
char         *loom_store_resolve_path      (const char     *override);

/**
 * LoomStoreOpenFlags:
 * @LOOM_STORE_OPEN_DEFAULT: check the whole file for damage before writing anything
 * @LOOM_STORE_OPEN_CHECK_LATER: check a large library later, with
 *   loom_store_check_integrity_async(), so that the window opens fast
 * @LOOM_STORE_OPEN_SYNC_IN_THREAD: start and checkpoint the write-ahead log in a thread, so
 *   that the main thread's writes never wait for the disk (see loom-store-journal.c); for a
 *   process with a main loop
 */
typedef enum
{
  LOOM_STORE_OPEN_DEFAULT = 0,
  LOOM_STORE_OPEN_CHECK_LATER = 1 << 0,
  LOOM_STORE_OPEN_SYNC_IN_THREAD = 1 << 1,
} LoomStoreOpenFlags;

LoomStore    *loom_store_open              (const char     *path,
                                            GError        **error);
LoomStore    *loom_store_open_full         (const char          *path,
                                            LoomStoreOpenFlags   flags,
                                            GError             **error);
LoomStore    *loom_store_open_reader       (const char     *path,
                                            GError        **error);
gboolean      loom_store_get_journal_busy  (LoomStore      *self);
gboolean      loom_store_snapshot          (const char     *path,
                                            const char     *target,
                                            GError        **error);
void          loom_store_close             (LoomStore      *self);
gboolean      loom_store_is_damaged        (LoomStore      *self);
gboolean      loom_store_check_integrity   (LoomStore      *self,
                                            GError        **error);
void          loom_store_check_integrity_async  (LoomStore           *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      loom_store_check_integrity_finish (LoomStore           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
gboolean      loom_store_verify_copy       (const char     *path,
                                            GError        **error);
gboolean      loom_store_check_text_bytes  (const char     *text,
                                            gsize           length,
                                            const char     *what,
                                            GError        **error);
const char   *loom_store_get_path          (LoomStore      *self);

gboolean      loom_store_refresh           (LoomStore      *self,
                                            gboolean       *changed,
                                            GError        **error);

GListModel   *loom_store_get_stories       (LoomStore      *self);
LoomStory    *loom_store_lookup_story      (LoomStore      *self,
                                            gint64          id);
LoomChapter  *loom_store_lookup_chapter    (LoomStore      *self,
                                            gint64          id);
LoomScene    *loom_store_lookup_scene      (LoomStore      *self,
                                            gint64          id);
LoomCharacter *loom_store_lookup_character (LoomStore      *self,
                                            gint64          id);
LoomEntry    *loom_store_lookup_entry      (LoomStore      *self,
                                            gint64          id);

LoomStory    *loom_store_create_story      (LoomStore      *self,
                                            const char     *title,
                                            const char     *premise,
                                            const char     *style_notes,
                                            GError        **error);
LoomDeletion *loom_store_delete_story      (LoomStore      *self,
                                            LoomStory      *story,
                                            GError        **error);
gboolean      loom_store_discard_story     (LoomStore      *self,
                                            LoomStory      *story,
                                            GError        **error);

LoomChapter  *loom_store_add_chapter       (LoomStore      *self,
                                            LoomStory      *story,
                                            guint           position,
                                            const char     *title,
                                            GError        **error);
gboolean      loom_store_move_chapter      (LoomStore      *self,
                                            LoomChapter    *chapter,
                                            guint           position,
                                            GError        **error);
LoomDeletion *loom_store_delete_chapter    (LoomStore      *self,
                                            LoomChapter    *chapter,
                                            GError        **error);

LoomScene    *loom_store_add_scene         (LoomStore      *self,
                                            LoomChapter    *chapter,
                                            guint           position,
                                            const char     *outline,
                                            GError        **error);
gboolean      loom_store_move_scene        (LoomStore      *self,
                                            LoomScene      *scene,
                                            LoomChapter    *chapter,
                                            guint           position,
                                            GError        **error);
LoomDeletion *loom_store_delete_scene      (LoomStore      *self,
                                            LoomScene      *scene,
                                            GError        **error);
LoomScene    *loom_store_recover_scene     (LoomStore      *self,
                                            LoomScene      *gone,
                                            const char     *prose,
                                            GError        **error);

LoomCharacter *loom_store_add_character    (LoomStore      *self,
                                            LoomStory      *story,
                                            const char     *name,
                                            const char     *traits,
                                            const char     *backstory,
                                            GError        **error);
LoomDeletion *loom_store_delete_character  (LoomStore      *self,
                                            LoomCharacter  *character,
                                            GError        **error);

/* The story bible besides characters (loom-store-bible.c). */
LoomEntry    *loom_store_add_entry         (LoomStore      *self,
                                            LoomStory      *story,
                                            LoomEntryKind   kind,
                                            const char     *name,
                                            const char     *aliases,
                                            const char     *description,
                                            LoomInclusion   inclusion,
                                            GError        **error);
LoomDeletion *loom_store_delete_entry      (LoomStore      *self,
                                            LoomEntry      *entry,
                                            GError        **error);

typedef struct
{
  LoomEntryKind  kind;
  const char    *name;
  const char    *aliases;      /* (nullable) */
  const char    *description;  /* (nullable) */
  LoomInclusion  inclusion;
} LoomEntrySpec;

/* Many entries in one transaction (a benchmark's 200, an import): all of them or none. */
gboolean      loom_store_add_entries       (LoomStore            *self,
                                            LoomStory            *story,
                                            const LoomEntrySpec  *specs,
                                            guint                 n_specs,
                                            GError              **error);

/* Several rows at once, in one transaction: all of them or none. */
typedef struct
{
  const char *title;
} LoomOutlineChapter;

typedef struct
{
  guint       chapter;  /* index into the chapters, from 0 */
  const char *outline;
  const char *prose;    /* (nullable) */
} LoomOutlineScene;

gboolean      loom_store_add_outline       (LoomStore                 *self,
                                            LoomStory                 *story,
                                            const LoomOutlineChapter  *chapters,
                                            guint                      n_chapters,
                                            const LoomOutlineScene    *scenes,
                                            guint                      n_scenes,
                                            GError                   **error);

typedef struct
{
  const char    *name;
  const char    *traits;
  const char    *backstory;
  const char    *aliases;    /* (nullable): "A, B" */
  LoomInclusion  inclusion;  /* 0 is "always", a new character's rule */
} LoomCharacterEntry;

gboolean      loom_store_add_characters    (LoomStore                 *self,
                                            LoomStory                 *story,
                                            const LoomCharacterEntry  *entries,
                                            guint                      n_entries,
                                            GError                   **error);

/* The trash (see loom-deletion.h): every delete above moves its item there. */
gboolean      loom_store_undo_deletion     (LoomStore      *self,
                                            LoomDeletion   *deletion,
                                            GError        **error);
GObject      *loom_store_restore_from_trash (LoomStore     *self,
                                            gint64          trash_id,
                                            GError        **error);
GListModel   *loom_store_list_trash        (LoomStore      *self,
                                            GError        **error);
gboolean      loom_store_empty_trash       (LoomStore      *self,
                                            GError        **error);

/* Generation: the rows and state changes a generator needs, each one transaction. */
typedef struct
{
  LoomGenerationOutcome  outcome;
  const char            *prose;           /* complete: the new prose; else the prose to put back */
  const char            *partial;         /* error, cancel: what was written, kept as a revision */
  LoomSceneStatus        status;          /* error, cancel: the status to leave */
  const char            *error_message;   /* error: a sentence for the writer */
  gint64                 prompt_tokens;   /* -1 when unknown */
  gint64                 completion_tokens;
  double                 cost;            /* < 0 when unknown */
  gint64                 first_token_at;  /* ms since the epoch, 0 when none arrived */
  const char            *model;           /* the model that answered, for the partial revision */
  GArray                *inputs;          /* complete: what the prompt was built from
                                           * (loom_store_fingerprint_inputs()), or NULL */
} LoomGenerationEnd;

/**
 * LoomSceneInput:
 * @kind: one #LoomSceneInputs flag
 * @ref_id: the id of the row it comes from (a character's, the scene before's; 0 for none)
 * @fingerprint: a short hash of exactly what the prompt takes from it
 *
 * One input of a scene's prompt, recorded with the prose it produced.
 */
typedef struct
{
  LoomSceneInputs  kind;
  gint64           ref_id;
  char            *fingerprint;
} LoomSceneInput;

GArray       *loom_store_fingerprint_inputs (LoomStore               *self,
                                            LoomScene                *scene,
                                            GPtrArray                *characters,
                                            GPtrArray                *entries,
                                            guint                     previous_words);
void          loom_store_update_outdated   (LoomStore                *self);

gint64        loom_store_begin_generation  (LoomStore                *self,
                                            LoomScene                *scene,
                                            const char               *model,
                                            const char               *inputs,
                                            GError                  **error);
char         *loom_store_get_generation_inputs (LoomStore            *self,
                                            LoomScene                *scene,
                                            GError                  **error);
gboolean      loom_store_flush_prose       (LoomStore                *self,
                                            LoomScene                *scene,
                                            GError                  **error);
gboolean      loom_store_end_generation    (LoomStore                *self,
                                            LoomScene                *scene,
                                            gint64                    generation_id,
                                            const LoomGenerationEnd  *end,
                                            GError                  **error);
gint64        loom_store_record_request    (LoomStore                *self,
                                            LoomStory                *story,
                                            const char               *kind,
                                            const char               *model,
                                            GError                  **error);
gboolean      loom_store_finish_request    (LoomStore                *self,
                                            gint64                    generation_id,
                                            const LoomGenerationEnd  *end,
                                            GError                  **error);

GListModel   *loom_store_list_revisions    (LoomStore                *self,
                                            LoomScene                *scene,
                                            GError                  **error);
gboolean      loom_store_add_revision      (LoomStore                *self,
                                            LoomScene                *scene,
                                            const char               *prose,
                                            LoomRevisionOrigin        origin,
                                            const char               *model,
                                            GError                  **error);
gboolean      loom_store_get_prose_origin  (LoomStore                *self,
                                            LoomScene                *scene,
                                            LoomProseOrigin          *origin,
                                            char                    **model,
                                            gint64                   *written_at,
                                            GError                  **error);
guint         loom_store_get_writers_words (LoomStore                *self,
                                            LoomScene                *scene);
LoomRevision *loom_store_get_replaced_revision (LoomStore            *self,
                                            LoomScene                *scene,
                                            GError                  **error);
LoomRevision *loom_store_get_stopped_partial (LoomStore              *self,
                                            LoomScene                *scene,
                                            GError                  **error);
gboolean      loom_store_answer_stopped_partial (LoomStore           *self,
                                            LoomScene                *scene,
                                            GError                  **error);
LoomRevision *loom_store_lookup_revision   (LoomStore                *self,
                                            gint64                    id,
                                            GError                  **error);
LoomRevision *loom_store_snapshot_prose    (LoomStore                *self,
                                            LoomScene                *scene,
                                            GError                  **error);
gboolean      loom_store_restore_revision  (LoomStore                *self,
                                            LoomScene                *scene,
                                            LoomRevision             *revision,
                                            GError                  **error);

typedef struct
{
  gint64  scene_id;        /* 0 for requests about the whole story (outline, characters) */
  guint   chapter_number;
  guint   scene_number;
  guint   requests;
  gint64  prompt_tokens;
  gint64  completion_tokens;
  double  cost;
} LoomUsage;

GArray       *loom_store_get_usage         (LoomStore                *self,
                                            LoomStory                *story,
                                            GError                  **error);

/* Library settings that the command line needs as much as the window, by name. */
#define LOOM_SETTING_CONTEXT_BUDGET "context-budget"

gboolean      loom_store_get_setting       (LoomStore                *self,
                                            const char               *name,
                                            gint64                   *value,
                                            GError                  **error);
gboolean      loom_store_set_setting       (LoomStore                *self,
                                            const char               *name,
                                            gint64                    value,
                                            GError                  **error);
gboolean      loom_store_unset_setting     (LoomStore                *self,
                                            const char               *name,
                                            GError                  **error);
GStrv         loom_store_list_settings     (LoomStore                *self,
                                            const char               *prefix,
                                            GError                  **error);

/* Positions count from 0 here; G_MAXUINT appends. The command line counts from 1. */
#define LOOM_POSITION_END G_MAXUINT

G_END_DECLS
