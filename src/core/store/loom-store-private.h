/* loom-store-private.h: what only the store and the model objects share
 *
 * The model objects are thin mirrors of rows: the store fills their fields when it loads a row,
 * and after each committed write calls the type's private setter, which changes the mirror and
 * notifies by pspec, so every view of a row sees the change at once. The owner notifies: no
 * other file emits notify for a model's property.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "loom-store.h"
#include "loom-story.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-character.h"
#include "loom-entry.h"
#include "loom-deletion.h"
#include "loom-revision.h"
#include "loom-provenance.h"

G_BEGIN_DECLS

struct _LoomStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;  /* SQL text → sqlite3_stmt */

  GListStore *stories;
  GHashTable *stories_by_id;     /* gint64 id → LoomStory (owned) */
  GHashTable *chapters_by_id;
  GHashTable *scenes_by_id;
  GHashTable *characters_by_id;
  GHashTable *entries_by_id;

  GHashTable *trashed;          /* trash id → the object this program moved there */

  int         generating_fd;   /* "<library>-generating", see _loom_store_hold_generating () */
  guint       n_generating;

  gint64      data_version;    /* PRAGMA data_version when the mirrors last matched the file */
  GTimeSpan   clock_offset;    /* the store's clock ahead of the real one: tests set it */
  gboolean    refreshing;

  GHashTable *inputs_pending;   /* scenes whose outdated mark waits for inputs_idle */
  GSource    *inputs_idle;
  GMainContext *context;        /* the thread's the store was opened in, for its idles */

  gboolean    damaged;          /* never written to again, see mark_damaged () */
  gboolean    integrity_checked;
  gboolean    upkeep_deferred;  /* until the check in a thread has found no damage */

  gboolean    sync_in_thread;   /* LOOM_STORE_OPEN_SYNC_IN_THREAD, see loom-store-journal.c */
  gboolean    journal_busy;
  gboolean    journal_again;
};

struct _LoomStory
{
  GObject     parent_instance;

  LoomStore  *store;        /* unowned: the store outlives its objects' use */
  gint64      id;
  char       *title;
  char       *premise;
  char       *style_notes;
  gint64      created_at;
  gint64      updated_at;
  guint       chapter_count;
  guint       scene_count;
  guint       word_count;
  guint       target_words; /* goals, 0 or NULL for none */
  char       *deadline;
  guint       daily_goal;
  char       *spell_language; /* NULL: the locale's */

  GListStore *chapters;     /* loaded with the story, see loom-store-refresh.c */
  GListStore *characters;
  GListStore *entries;
};

struct _LoomChapter
{
  GObject     parent_instance;

  LoomStory  *story;        /* unowned */
  gint64      id;
  guint       number;
  char       *title;
  guint       word_count;

  GListStore *scenes;
};

struct _LoomScene
{
  GObject          parent_instance;

  LoomChapter     *chapter; /* unowned */
  gint64           id;
  guint            number;
  char            *outline;
  /* Changed only through loom-scene.c (_loom_scene_replace_prose () and friends): streaming
   * appends in place, which needs the length and allocated size kept with it. */
  char            *prose;
  gsize            prose_length;  /* bytes */
  gsize            prose_size;    /* bytes allocated */
  guint            prose_serial;  /* changes whenever the prose is replaced, not appended to */
  gboolean         prose_loaded;
  LoomSceneStatus  status;
  char            *error_message;
  guint            regeneration_count;
  guint            word_count;
  gint64           updated_at;
  gboolean         generating_here; /* a generation of this store streams into it */
  gboolean         queued;       /* waiting for a generation slot; never stored */
  guint            stale_inputs; /* LoomSceneInputs changed since the last generation */
};

struct _LoomCharacter
{
  GObject     parent_instance;

  LoomStory  *story;        /* unowned */
  gint64      id;
  char       *name;
  char       *traits;
  char       *backstory;
  char       *aliases;      /* "" when none */
  guint       inclusion;    /* LoomInclusion */
};

struct _LoomEntry
{
  GObject     parent_instance;

  LoomStory  *story;        /* unowned */
  gint64      id;
  guint       kind;         /* LoomEntryKind */
  char       *name;
  char       *aliases;      /* "" when none */
  char       *description;  /* "" when none */
  guint       inclusion;    /* LoomInclusion */
};

/* Replaces *field by a copy of value; TRUE when it changed (the caller notifies). */
static inline gboolean
loom_set_string (char       **field,
                 const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static inline gboolean
loom_set_uint (guint *field,
               guint  value)
{
  if (*field == value)
    return FALSE;
  *field = value;
  return TRUE;
}

static inline void
loom_mirror_string (gpointer     object,
                    char       **field,
                    const char  *value,
                    GParamSpec  *pspec)
{
  if (loom_set_string (field, value))
    g_object_notify_by_pspec (G_OBJECT (object), pspec);
}

static inline void
loom_mirror_uint (gpointer    object,
                  guint      *field,
                  guint       value,
                  GParamSpec *pspec)
{
  if (loom_set_uint (field, value))
    g_object_notify_by_pspec (G_OBJECT (object), pspec);
}

static inline void
loom_mirror_int64 (gpointer    object,
                   gint64     *field,
                   gint64      value,
                   GParamSpec *pspec)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
}

gint64        loom_now_ms                   (void);

/* One row of each table as loom-store-refresh.c reads it, for the mirrors' private setters. */
typedef struct
{
  gint64  id;
  char   *title;
  char   *premise;
  char   *style_notes;
  gint64  created_at;
  gint64  updated_at;
  guint   chapter_count;
  guint   scene_count;
  guint   word_count;
  guint   target_words;
  char   *deadline;
  guint   daily_goal;
  char   *spell_language;
} LoomStoryRow;

typedef struct
{
  gint64  id;
  gint64  story_id;
  guint   number;
  char   *title;
} LoomChapterRow;

typedef struct
{
  gint64           id;
  gint64           chapter_id;
  guint            number;
  char            *outline;
  LoomSceneStatus  status;
  char            *error_message;
  guint            regeneration_count;
  guint            word_count;
  gint64           updated_at;
  gboolean         prose_read;  /* the prose was read again: its stamp moved */
  char            *prose;
} LoomSceneRow;

typedef struct
{
  gint64  id;
  gint64  story_id;
  char   *name;
  char   *traits;
  char   *backstory;
  char   *aliases;
  guint   inclusion;
} LoomCharacterRow;

typedef struct
{
  gint64  id;
  gint64  story_id;
  guint   kind;
  char   *name;
  char   *aliases;
  char   *description;
  guint   inclusion;
} LoomEntryRow;

/* loom-scene.c: the prose mirror. _take_ is for prose read from the library (no notify);
 * _replace_ notifies when the text changed. Both free what was there. */
void          _loom_scene_take_prose        (LoomScene    *scene,
                                             char         *prose);
gboolean      _loom_scene_replace_prose     (LoomScene    *scene,
                                             const char   *prose);

LoomStory    *_loom_story_new               (LoomStore    *store);
LoomChapter  *_loom_chapter_new             (LoomStory    *story);
LoomScene    *_loom_scene_new               (LoomChapter  *chapter);
LoomCharacter *_loom_character_new          (LoomStory    *story);
LoomEntry    *_loom_entry_new               (LoomStory    *story);

/* Private setters: they change the mirror after a committed write, or to what another
 * program wrote, and notify by pspec; none of them touches the database. */
void          _loom_story_update            (LoomStory              *self,
                                             const LoomStoryRow     *row);
void          _loom_chapter_update          (LoomChapter            *self,
                                             const LoomChapterRow   *row);
void          _loom_chapter_set_word_count  (LoomChapter            *self,
                                             guint                   word_count);
/* A scene a generation of this store streams into keeps its status, prose and stamp. */
void          _loom_scene_update            (LoomScene              *self,
                                             LoomChapter            *chapter,
                                             const LoomSceneRow     *row);
void          _loom_character_update        (LoomCharacter          *self,
                                             const LoomCharacterRow *row);
void          _loom_entry_update            (LoomEntry              *self,
                                             const LoomEntryRow     *row);
void          _loom_story_add_counts        (LoomStory       *self,
                                             int              d_chapters,
                                             int              d_scenes,
                                             gint64           d_words);
void          _loom_chapter_set_number      (LoomChapter     *self,
                                             guint            number);
void          _loom_chapter_add_word_count  (LoomChapter     *self,
                                             gint64           d_words);
void          _loom_scene_set_number        (LoomScene       *self,
                                             guint            number);
void          _loom_scene_set_chapter       (LoomScene       *self,
                                             LoomChapter     *chapter);
void          _loom_scene_set_status        (LoomScene       *self,
                                             LoomSceneStatus  status,
                                             const char      *error_message);
void          _loom_scene_add_regeneration  (LoomScene       *self);
void          _loom_scene_set_stale_inputs  (LoomScene       *self,
                                             guint            inputs);
/* Returns the change in the scene's word count, for the chapter's and the story's totals. */
gint64        _loom_scene_set_prose         (LoomScene       *self,
                                             const char      *prose,
                                             guint            word_count,
                                             gint64           updated_at);

/* Text columns share one persisted setter; the model's own setter mirrors the result. */
typedef enum
{
  LOOM_TEXT_ANY = 0,
  LOOM_TEXT_NOT_BLANK = 1 << 0,  /* titles and names */
  LOOM_TEXT_NULLABLE = 1 << 1,   /* NULL and "" store NULL */
  LOOM_TEXT_ONE_LINE = 1 << 2,   /* an entry, not a text view: both versions join on one line */
} LoomTextFlags;

/* One edit of a text column, written only over the text it was made from: @base is what this
 * program last read from the row (the mirror, or what an editor loaded). When another program
 * changed the row meanwhile, both texts are kept in it, the writer's first, and @conflict says
 * so: a text edit never silently replaces another program's words. */
typedef struct
{
  /* in */
  const char    *table;
  const char    *column;
  gint64         id;
  const char    *what;       /* the column in words, for messages */
  LoomTextFlags  flags;
  const char    *base;
  /* in: the writer's text; out: what the row holds now (may point into merged) */
  const char    *value;
  /* out */
  char          *merged;     /* owned: both versions, after a conflict */
  char          *before;     /* owned: what the row held before the write */
  gint64         updated_at; /* the row's new stamp, for tables that have one; else 0 */
  gboolean       conflict;
} LoomTextEdit;

void          _loom_text_edit_clear         (LoomTextEdit  *edit);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoomTextEdit, _loom_text_edit_clear)

gboolean      _loom_store_update_text       (LoomStore     *self,
                                             LoomTextEdit  *edit,
                                             GError       **error);
void          _loom_store_emit_text_conflict (LoomStore    *self,
                                             GObject       *item,
                                             const char    *property);
/* One text column edited: stores @edit, mirrors the result in @field and notifies by the
 * owner's @pspec, then announces a conflict. @before (optional) gets what the row held
 * before, for undo. */
gboolean      _loom_store_edit_text         (LoomStore     *self,
                                             LoomTextEdit  *edit,
                                             GObject       *object,
                                             char         **field,
                                             GParamSpec    *pspec,
                                             char         **before,
                                             GError       **error);
/* One column of @table holding a word from a fixed list (a kind, an inclusion rule): stores
 * @word for @object's row, then mirrors @value in @field and notifies by @pspec. */
gboolean      _loom_store_set_choice        (LoomStore     *self,
                                             GObject       *object,
                                             const char    *table,
                                             guint         *field,
                                             guint          value,
                                             const char    *word,
                                             GParamSpec    *pspec,
                                             GError       **error);
gboolean      _loom_store_load_prose        (LoomStore     *self,
                                             LoomScene     *scene,
                                             GError       **error);
gboolean      _loom_store_save_prose        (LoomStore     *self,
                                             LoomScene     *scene,
                                             const char    *prose,
                                             guint          base_version,
                                             LoomProvenance *spans,
                                             GError       **error);
/* loom-store-provenance.c */
gboolean      _loom_store_track_prose       (LoomStore     *self,
                                             LoomScene     *scene,
                                             const char    *prose,
                                             LoomProvenance *spans,
                                             LoomSpanOrigin inserted,
                                             gint64         generation_id,
                                             GError       **error);
gboolean      _loom_store_write_revision_spans (LoomStore  *self,
                                             gint64         revision_id,
                                             LoomProvenance *spans,
                                             GError       **error);
gboolean      _loom_store_keep_revision_spans (LoomStore   *self,
                                             LoomScene     *scene,
                                             const char    *prose,
                                             gint64         revision_id,
                                             GError       **error);
gboolean      _loom_store_read_revision_spans (LoomStore   *self,
                                             gint64         revision_id,
                                             const char    *prose,
                                             LoomProvenance **spans,
                                             GError       **error);
/* Whose words a prose write brings, for the word log (loom-store-words-log.c). */
typedef enum
{
  LOOM_WORDS_WRITTEN = 0,     /* typed, pasted, or put back by the writer */
  LOOM_WORDS_ACCEPTED = 1,    /* from the AI: a generation, a kept partial, an AI edit */
  LOOM_WORDS_AS_REPLACED = 2, /* accepted when the text replaced is the AI's (an undo) */
} LoomWordKind;

gboolean      _loom_store_write_prose       (LoomStore     *self,
                                             LoomScene     *scene,
                                             const char    *prose,
                                             gint64         now,
                                             LoomWordKind   kind,
                                             GError       **error);
gboolean      _loom_store_mark_writers_hand (LoomStore     *self,
                                             LoomScene     *scene,
                                             gint64         now,
                                             GError       **error);
void          _loom_store_apply_prose       (LoomScene     *scene,
                                             const char    *prose,
                                             gint64         now);
gboolean      _loom_store_archive_prose     (LoomStore     *self,
                                             LoomScene     *scene,
                                             const char    *prose,
                                             LoomRevisionOrigin origin,
                                             GError       **error);
gboolean      _loom_store_set_prose_origin  (LoomStore     *self,
                                             LoomScene     *scene,
                                             LoomProseOrigin origin,
                                             const char    *model,
                                             gint64         written_at,
                                             GError       **error);
gboolean      _loom_store_read_elsewhere    (LoomStore     *self,
                                             LoomScene     *scene,
                                             gboolean      *changed,
                                             char         **theirs,
                                             gint64        *stamp,
                                             GError       **error);
gboolean      _loom_store_keep_elsewhere    (LoomStore     *self,
                                             LoomScene     *scene,
                                             const char    *text,
                                             const char    *replacement,
                                             gboolean      *kept,
                                             GError       **error);
void          _loom_store_emit_prose_conflict (LoomStore   *self,
                                             LoomScene     *scene);
void          _loom_store_emit_deleted_elsewhere (LoomStore *self,
                                             GObject       *item);
gboolean      _loom_store_read_data_version (LoomStore     *self,
                                             gint64        *version,
                                             GError       **error);
gboolean      _loom_store_set_scene_status  (LoomStore       *self,
                                             LoomScene       *scene,
                                             LoomSceneStatus  status,
                                             const char      *error_message,
                                             GError         **error);
gboolean      loom_store_check_text         (const char    *value,
                                             const char    *what,
                                             GError       **error);

/* loom-store.c: statements and transactions for the files the store is split into */
sqlite3      *_loom_store_get_db            (LoomStore     *self);
/* FALSE with the closed library's error when @self (or NULL) has no connection any more.
 * Statements check it themselves: only code that reads the connection otherwise needs it. */
gboolean      _loom_store_check_open        (LoomStore     *self,
                                             GError       **error);
sqlite3_stmt *_loom_store_get_statement     (LoomStore     *self,
                                             const char    *sql,
                                             const char    *doing,
                                             GError       **error);
gboolean      _loom_store_finish_statement  (LoomStore     *self,
                                             sqlite3_stmt  *stmt,
                                             int            rc,
                                             const char    *missing,
                                             const char    *doing,
                                             GError       **error);
gboolean      _loom_store_run               (LoomStore     *self,
                                             GError       **error,
                                             const char    *doing,
                                             const char    *sql,
                                             const char    *types,
                                             ...);
gboolean      _loom_store_begin             (LoomStore     *self,
                                             const char    *doing,
                                             GError       **error);
gboolean      _loom_store_commit            (LoomStore     *self,
                                             const char    *doing,
                                             GError       **error);
gboolean      _loom_store_rollback          (LoomStore     *self);
gboolean      _loom_store_read_value        (LoomStore     *self,
                                             const char    *sql,
                                             gint64        *value,
                                             GError       **error);
gboolean      _loom_store_check_not_blank   (const char    *value,
                                             const char    *message,
                                             GError       **error);
/* loom-store-edit.c: the store is open and @map still holds @id */
gboolean      _loom_store_check_live        (LoomStore     *self,
                                             GHashTable    *map,
                                             gint64         id,
                                             GError       **error);
void          _loom_store_remember          (GHashTable    *map,
                                             gint64        *id,
                                             gpointer       object);
void          _loom_store_forget_scene      (LoomStore     *self,
                                             LoomScene     *scene);
void          _loom_store_forget_chapter    (LoomStore     *self,
                                             LoomChapter   *chapter);
void          _loom_store_forget_story      (LoomStore     *self,
                                             LoomStory     *story);
void          _loom_store_adjust_counts     (LoomStory     *story,
                                             LoomChapter   *chapter,
                                             int            d_chapters,
                                             int            d_scenes,
                                             gint64         d_words);

void          _loom_store_note_damage       (sqlite3       *db);

void          _loom_store_hold_generating   (LoomStore     *self);
void          _loom_store_release_generating (LoomStore    *self);

void          _loom_store_emit_summary_changed (LoomStore   *self,
                                                LoomScene   *scene);
/* loom-store-generation.c: a request's row before it is sent; @scene_id 0 for the story */
gint64        _loom_store_insert_request    (LoomStore     *self,
                                             gint64         story_id,
                                             gint64         scene_id,
                                             const char    *kind,
                                             const char    *model,
                                             GError       **error);

/* loom-store-inputs.c: what each generated scene's prompt was built from */
void          _loom_store_inputs_init       (LoomStore       *self);
void          _loom_store_inputs_clear      (LoomStore       *self);
void          _loom_store_inputs_disable    (LoomStore       *self);
void          _loom_store_watch_inputs      (GObject         *object);
void          _loom_store_input_changed     (LoomStore       *self,
                                             LoomSceneInputs  kind,
                                             gint64           ref_id);
void          _loom_store_inputs_refresh    (LoomStore       *self);
gboolean      _loom_store_record_inputs     (LoomStore       *self,
                                             LoomScene       *scene,
                                             GArray          *inputs,
                                             GError         **error);
gboolean      _loom_store_accept_inputs     (LoomStore       *self,
                                             LoomScene       *scene,
                                             GError         **error);
void          _loom_store_inputs_settled    (LoomStore       *self,
                                             LoomScene       *scene);
/* loom-store-words-log.c: inside the caller's transaction */
gboolean      _loom_store_log_words         (LoomStore     *self,
                                             LoomScene     *scene,
                                             guint          words,
                                             LoomWordKind   kind,
                                             GError       **error);
gboolean      _loom_store_write_goals       (LoomStore     *self,
                                             gint64         story_id,
                                             guint          target_words,
                                             const char    *deadline,
                                             guint          daily_goal,
                                             GError       **error);
gboolean      _loom_store_write_spell_language (LoomStore  *self,
                                                gint64      story_id,
                                                const char *language,
                                                GError    **error);
gboolean      _loom_store_keep_past_words   (LoomStore     *self,
                                             gboolean       chapter,
                                             gint64         id,
                                             GError       **error);
gboolean      _loom_store_log_interrupted   (LoomStore     *self,
                                             GError       **error);
void          _loom_store_clock_init        (LoomStore     *self);

/* loom-store-schema.c */
gboolean      _loom_store_schema_check      (sqlite3       *db,
                                             const char    *path,
                                             GError       **error);
gboolean      _loom_store_schema_migrate    (sqlite3       *db,
                                             GError       **error);
gboolean      _loom_store_schema_writes_at_open (sqlite3   *db);
void          _loom_store_set_sqlite_error  (GError       **error,
                                             sqlite3       *db,
                                             int            rc,
                                             const char    *doing);

/* loom-deletion.c: an entry of the trash, described */
typedef struct
{
  gint64         id;           /* of the trash row; set by _loom_store_trash_rows () */
  LoomTrashKind  kind;
  gint64         item_id;
  gint64         story_id;
  gint64         chapter_id;   /* a scene's chapter, else 0 */
  guint          position;     /* the chapter's or scene's number when it was deleted */
  const char    *title;
  const char    *story_title;
  guint          n_chapters;
  guint          n_scenes;
  guint          n_words;
  gint64         deleted_at;
} LoomTrashEntry;

LoomDeletion *_loom_deletion_new            (const LoomTrashEntry *entry,
                                             GObject              *item);
guint         _loom_deletion_get_position   (LoomDeletion  *self);

/* loom-store-trash.c: the rows of the trash; each call runs inside the caller's transaction */
gboolean      _loom_store_trash_rows        (LoomStore       *self,
                                             LoomTrashEntry  *entry,
                                             GError         **error);
gboolean      _loom_store_untrash_rows      (LoomStore       *self,
                                             gint64           trash_id,
                                             LoomTrashEntry  *entry,
                                             char           **title,
                                             char           **story_title,
                                             gboolean        *renumbered_ids,
                                             GError         **error);
gboolean      _loom_store_purge_trash       (LoomStore       *self,
                                             gint64           before,
                                             GError         **error);
LoomDeletion *_loom_store_remember_trashed  (LoomStore       *self,
                                             const LoomTrashEntry *entry,
                                             GObject         *item);

/* loom-store-refresh.c: every row read again and the mirrors brought in step with them;
 * what another program deleted is announced with LoomStore::deleted-elsewhere. The store
 * loads this way when it opens. */
gboolean      _loom_store_sync              (LoomStore     *self,
                                             GError       **error);

/* loom-store-refresh.c: one row read into a new mirror, not yet remembered nor listed */
LoomChapter  *_loom_store_read_chapter      (LoomStore     *self,
                                             LoomStory     *story,
                                             gint64         id,
                                             GError       **error);
LoomScene    *_loom_store_read_scene        (LoomStore     *self,
                                             LoomChapter   *chapter,
                                             gint64         id,
                                             GError       **error);
/* a character's or a bible entry's, by @type */
GObject      *_loom_store_read_listed       (LoomStore     *self,
                                             LoomStory     *story,
                                             GType          type,
                                             gint64         id,
                                             GError       **error);

/* loom-store-edit.c: moving an item its story lists (a character, a bible entry) to the Trash,
 * and putting it back in its list */
LoomDeletion *_loom_store_trash_listed      (LoomStore       *self,
                                             GObject         *item,
                                             GListStore      *list,
                                             GHashTable      *map,
                                             LoomTrashEntry  *entry,
                                             const char      *table,
                                             LoomSceneInputs  input,
                                             const char      *doing,
                                             GError         **error);
void          _loom_store_relist            (LoomStore       *self,
                                             GListStore      *list,
                                             GHashTable      *map,
                                             GObject         *item,
                                             gint64          *id);

void     _loom_store_journal_start (LoomStore *self);
void     _loom_store_journal_run   (LoomStore *self,
                                    gboolean   checkpoint);

G_END_DECLS
