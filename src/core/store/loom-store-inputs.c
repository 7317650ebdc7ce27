/* loom-store-inputs.c: what each generated scene's prompt was built from, and whether it changed
 *
 * When a generation completes, the store records every input its prompt used in scene_inputs,
 * one row each: the scene's outline, each character included (by id), how the scene before
 * ends, the chapter and the story, each with a fingerprint of exactly the text the prompt took
 * from it. A scene is outdated when one of those inputs now has another fingerprint, or is gone.
 *
 * The answer is kept in LoomScene:stale-inputs, worked out for every scene when the store reads
 * the library (at open and in loom_store_refresh(), for another program's writes), and kept
 * right as things change: each model object tells the store when something a prompt takes from
 * it changes, the store looks up (by index) which scenes recorded that input, and recomputes
 * just those before the next frame. No getter reads the library. The writer's own edit of a
 * scene's prose accepts its inputs as they are now, which clears the mark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-inputs"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-store-summaries.h"
#include "loom-words.h"

/* The kinds as the library names them; a later version adds rows of new kinds, never renames. */
static const struct
{
  LoomSceneInputs  kind;
  const char      *name;
} kinds[] = {
  { LOOM_SCENE_INPUT_OUTLINE, "outline" },
  { LOOM_SCENE_INPUT_CHARACTER, "character" },
  { LOOM_SCENE_INPUT_PREVIOUS, "previous" },
  { LOOM_SCENE_INPUT_CHAPTER, "chapter" },
  { LOOM_SCENE_INPUT_STORY, "story" },
  { LOOM_SCENE_INPUT_ENTRY, "entry" },
  { LOOM_SCENE_INPUT_SUMMARY, "summary" },
};

static const char *
kind_to_string (LoomSceneInputs kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;
  g_return_val_if_reached ("outline");
}

static LoomSceneInputs
kind_from_string (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].name, name) == 0)
      return kinds[i].kind;
  return LOOM_SCENE_INPUT_NONE;
}

static void
scene_input_clear (gpointer data)
{
  LoomSceneInput *input = data;

  g_clear_pointer (&input->fingerprint, g_free);
}

/* ---------------------------------------------------------------------------------------- */
/* Fingerprints                                                                             */

/* The first 16 hex digits of a SHA-256: the outline's is the one version 4 stored, so that
 * the migration could carry it over. */
static char *
short_hash (GChecksum *checksum)
{
  return g_strndup (g_checksum_get_string (checksum), 16);
}

static void
hash_field (GChecksum  *checksum,
            const char *text)
{
  /* A separator no text holds, so that moving words between fields changes the hash. */
  g_checksum_update (checksum, (const guchar *) (text ? text : ""), -1);
  g_checksum_update (checksum, (const guchar *) "\x1f", 1);
}

static char *
hash_text (const char *text)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) (text ? text : ""), -1);
  return short_hash (checksum);
}

static char *
hash_fields (const char *first,
             ...)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  va_list args;

  va_start (args, first);
  for (const char *field = first; field != NULL; field = va_arg (args, const char *))
    hash_field (checksum, field);
  va_end (args);
  return short_hash (checksum);
}

/* A character as the prompt shows it; the aliases only when there are some, so that the
 * characters of a library from before aliases keep their fingerprint. */
static char *
character_fingerprint (LoomCharacter *character)
{
  const char *aliases = character->aliases != NULL && *character->aliases != '\0'
                        ? character->aliases : NULL;

  return hash_fields (character->name, character->traits, character->backstory, aliases, NULL);
}

static char *
entry_fingerprint (LoomEntry *entry)
{
  return hash_fields (loom_entry_kind_to_string ((LoomEntryKind) entry->kind), entry->name,
                      entry->aliases, entry->description, NULL);
}

/* The chapter as the prompt shows it: number, title, and where the scene stands among the
 * other scenes' outlines (its own outline is an input of its own). */
static char *
chapter_fingerprint (LoomScene *scene)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  LoomChapter *chapter = scene->chapter;
  GListModel *scenes = loom_chapter_get_scenes (chapter);
  g_autofree char *number = g_strdup_printf ("%u", chapter->number);

  hash_field (checksum, number);
  hash_field (checksum, chapter->title);
  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(LoomScene) other = g_list_model_get_item (scenes, i);

      hash_field (checksum, other == scene ? "\x1e" : other->outline);
    }
  return short_hash (checksum);
}

/* The scene's prose as this program knows it, without keeping a text it had not loaded. */
static char *
read_prose (LoomStore *self,
            LoomScene *scene)
{
  sqlite3_stmt *stmt;
  char *prose = NULL;

  if (scene->prose_loaded)
    return g_strdup (scene->prose);
  stmt = _loom_store_get_statement (self, "SELECT prose FROM scenes WHERE id = ?1",
                                    _("reading the prose"), NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    prose = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return prose;
}

/* What the prompt takes from the scene before: the last @n_words words of its prose, or its
 * outline when it has none yet ("first" when there is no scene before). */
static char *
previous_fingerprint (LoomStore *self,
                      LoomScene *previous,
                      guint      n_words)
{
  g_autofree char *prose = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *hash = NULL;

  if (previous == NULL)
    return g_strdup ("first");
  prose = read_prose (self, previous);
  if (prose == NULL || *prose == '\0')
    {
      hash = hash_text (previous->outline);
      return g_strconcat ("outline:", hash, NULL);
    }
  tail = loom_last_words (prose, n_words);
  hash = hash_text (tail);
  /* The word count goes with it, so that the same ending is compared later. */
  return g_strdup_printf ("%u:%s", n_words, hash);
}

static guint
previous_words_of (const char *fingerprint)
{
  guint64 n = 0;

  if (fingerprint != NULL && g_ascii_isdigit (*fingerprint))
    n = g_ascii_strtoull (fingerprint, NULL, 10);
  return n > 0 && n < G_MAXUINT ? (guint) n : 400;
}

/* What the prompt took from the summary of the scene @scene_id (loom_summary_append_input()),
 * %NULL when it has none now. */
static char *
summary_fingerprint (LoomStore *self,
                     gint64     scene_id)
{
  LoomScene *summarised = loom_store_lookup_scene (self, scene_id);
  g_autoptr(LoomSummary) summary = NULL;

  if (summarised == NULL || (summary = loom_store_get_summary (self, summarised, NULL)) == NULL)
    return NULL;
  return loom_summary_fingerprint_prose (summary->summary);
}

/* The fingerprint @kind has now for @scene, and in *@ref the row it comes from (for a
 * character, the one given in *@ref). %NULL when that input is gone. */
static char *
current_fingerprint (LoomStore       *self,
                     LoomScene       *scene,
                     LoomSceneInputs  kind,
                     const char      *stored,
                     gint64          *ref)
{
  LoomStory *story = scene->chapter->story;

  switch (kind)
    {
    case LOOM_SCENE_INPUT_OUTLINE:
      *ref = scene->id;
      return hash_text (scene->outline);
    case LOOM_SCENE_INPUT_CHARACTER:
      {
        LoomCharacter *character = loom_store_lookup_character (self, *ref);

        if (character == NULL || character->story != story)
          return NULL;
        return character_fingerprint (character);
      }
    case LOOM_SCENE_INPUT_ENTRY:
      {
        LoomEntry *entry = loom_store_lookup_entry (self, *ref);

        if (entry == NULL || entry->story != story)
          return NULL;
        return entry_fingerprint (entry);
      }
    case LOOM_SCENE_INPUT_PREVIOUS:
      {
        g_autoptr(LoomScene) previous = loom_scene_dup_previous (scene);

        *ref = previous != NULL ? previous->id : 0;
        return previous_fingerprint (self, previous, previous_words_of (stored));
      }
    case LOOM_SCENE_INPUT_CHAPTER:
      *ref = scene->chapter->id;
      return chapter_fingerprint (scene);
    case LOOM_SCENE_INPUT_STORY:
      *ref = story->id;
      return hash_fields (story->title, story->premise, story->style_notes, NULL);
    case LOOM_SCENE_INPUT_SUMMARY:
      return summary_fingerprint (self, *ref);
    case LOOM_SCENE_INPUT_NONE:
    default:
      return NULL;
    }
}

static void
append_input (GArray          *inputs,
              LoomSceneInputs  kind,
              gint64           ref_id,
              char            *fingerprint)
{
  LoomSceneInput input = { kind, ref_id, fingerprint };

  g_array_append_val (inputs, input);
}

/**
 * loom_store_fingerprint_inputs:
 * @characters: (element-type LoomCharacter): the characters the prompt includes
 * @entries: (element-type LoomEntry) (nullable): the bible entries the prompt includes
 * @previous_words: how many words of the previous scene's prose the prompt quotes
 *
 * Every input a prompt for @scene is built from, each with its fingerprint now: give the
 * result to loom_store_end_generation() in #LoomGenerationEnd.inputs.
 *
 * Returns: (transfer full) (element-type LoomSceneInput): the inputs
 */
GArray *
loom_store_fingerprint_inputs (LoomStore *self,
                               LoomScene *scene,
                               GPtrArray *characters,
                               GPtrArray *entries,
                               guint      previous_words)
{
  g_autoptr(LoomScene) previous = NULL;
  GArray *inputs;
  LoomStory *story;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  inputs = g_array_new (FALSE, TRUE, sizeof (LoomSceneInput));
  g_array_set_clear_func (inputs, scene_input_clear);
  story = scene->chapter->story;
  previous = loom_scene_dup_previous (scene);

  append_input (inputs, LOOM_SCENE_INPUT_OUTLINE, scene->id, hash_text (scene->outline));
  for (guint i = 0; characters != NULL && i < characters->len; i++)
    {
      LoomCharacter *character = g_ptr_array_index (characters, i);

      append_input (inputs, LOOM_SCENE_INPUT_CHARACTER, character->id,
                    character_fingerprint (character));
    }
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      LoomEntry *entry = g_ptr_array_index (entries, i);

      append_input (inputs, LOOM_SCENE_INPUT_ENTRY, entry->id, entry_fingerprint (entry));
    }
  append_input (inputs, LOOM_SCENE_INPUT_PREVIOUS, previous != NULL ? previous->id : 0,
                previous_fingerprint (self, previous, previous_words));
  append_input (inputs, LOOM_SCENE_INPUT_CHAPTER, scene->chapter->id,
                chapter_fingerprint (scene));
  append_input (inputs, LOOM_SCENE_INPUT_STORY, story->id,
                hash_fields (story->title, story->premise, story->style_notes, NULL));
  return inputs;
}

/* ---------------------------------------------------------------------------------------- */
/* The recorded inputs                                                                      */

typedef struct
{
  gint64           rowid;
  LoomSceneInputs  kind;
  gint64           ref_id;
  char            *stored;
  char            *current;     /* NULL when the input is gone */
  gint64           current_ref;
} Compared;

static void
compared_clear (gpointer data)
{
  Compared *row = data;

  g_free (row->stored);
  g_free (row->current);
}

static gboolean
compared_differs (const Compared *row)
{
  return row->current == NULL || row->current_ref != row->ref_id ||
         g_strcmp0 (row->current, row->stored) != 0;
}

/* Each input @scene's prose was generated from, beside what it is now. */
static GArray *
compare_inputs (LoomStore  *self,
                LoomScene  *scene,
                GError    **error)
{
  const char *doing = _("reading what the scene was generated from");
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Compared));
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (rows, compared_clear);
  stmt = _loom_store_get_statement (self,
                                    "SELECT rowid, kind, ref_id, fingerprint FROM scene_inputs"
                                    " WHERE scene_id = ?1", doing, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Compared row = {
        .rowid = sqlite3_column_int64 (stmt, 0),
        .kind = kind_from_string ((const char *) sqlite3_column_text (stmt, 1)),
        .ref_id = sqlite3_column_int64 (stmt, 2),
        .stored = g_strdup ((const char *) sqlite3_column_text (stmt, 3)),
      };

      /* A kind this version does not know cannot be checked; it never marks. */
      if (row.kind == LOOM_SCENE_INPUT_NONE)
        g_free (row.stored);
      else
        g_array_append_val (rows, row);
    }
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return NULL;

  /* Only now: working out an input may read the library with statements of its own. */
  for (guint i = 0; i < rows->len; i++)
    {
      Compared *row = &g_array_index (rows, Compared, i);

      row->current_ref = row->ref_id;
      row->current = current_fingerprint (self, scene, row->kind, row->stored,
                                          &row->current_ref);
    }
  return g_steal_pointer (&rows);
}


/* Works out which of @scene's inputs changed, and shows it. */
static void
update_scene (LoomStore *self,
              LoomScene *scene)
{
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  if (!_loom_store_check_open (self, NULL) || loom_store_lookup_scene (self, scene->id) != scene)
    return;
  rows = compare_inputs (self, scene, &error);
  if (rows == NULL)
    {
      /* The mark stays as it was: a locked library is no reason to clear or raise it. */
      g_debug ("Could not tell whether scene %" G_GINT64_FORMAT " is outdated: %s", scene->id,
               error->message);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    if (compared_differs (&g_array_index (rows, Compared, i)))
      changed |= g_array_index (rows, Compared, i).kind;
  _loom_scene_set_stale_inputs (scene, changed);
}

/* Inside the caller's transaction: @scene's prose is now @inputs' (or nobody's). */
gboolean
_loom_store_record_inputs (LoomStore  *self,
                           LoomScene  *scene,
                           GArray     *inputs,
                           GError    **error)
{
  const char *doing = _("recording what the scene was generated from");

  if (!_loom_store_run (self, error, doing, "DELETE FROM scene_inputs WHERE scene_id = ?1", "i",
                        scene->id))
    return FALSE;
  for (guint i = 0; inputs != NULL && i < inputs->len; i++)
    {
      const LoomSceneInput *input = &g_array_index (inputs, LoomSceneInput, i);

      if (!_loom_store_run (self, error, doing,
                            "INSERT OR REPLACE INTO scene_inputs (scene_id, kind, ref_id,"
                            " fingerprint) VALUES (?1, ?2, ?3, ?4)", "isis", scene->id,
                            kind_to_string (input->kind), input->ref_id, input->fingerprint))
        return FALSE;
    }
  return TRUE;
}

/* Inside the caller's transaction: the writer edits @scene's prose with its inputs as they are
 * now, so those become what it follows. */
gboolean
_loom_store_accept_inputs (LoomStore  *self,
                           LoomScene  *scene,
                           GError    **error)
{
  const char *doing = _("saving the prose");
  g_autoptr(GArray) rows = NULL;

  /* Up to date (the mark is kept right as inputs change): nothing to accept. */
  if (scene->stale_inputs == 0 &&
      (self->inputs_pending == NULL || !g_hash_table_contains (self->inputs_pending, scene)))
    return TRUE;
  if ((rows = compare_inputs (self, scene, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const Compared *row = &g_array_index (rows, Compared, i);

      if (!compared_differs (row))
        continue;
      if (row->current == NULL
          ? !_loom_store_run (self, error, doing, "DELETE FROM scene_inputs WHERE rowid = ?1",
                              "i", row->rowid)
          : !_loom_store_run (self, error, doing,
                              "UPDATE OR REPLACE scene_inputs SET ref_id = ?2, fingerprint = ?3"
                              " WHERE rowid = ?1", "iis", row->rowid, row->current_ref,
                              row->current))
        return FALSE;
    }
  return TRUE;
}

/* After the commit of one of the two above: the scene follows its inputs again. */
void
_loom_store_inputs_settled (LoomStore *self,
                            LoomScene *scene)
{
  if (self->inputs_pending == NULL)
    return;
  g_hash_table_remove (self->inputs_pending, scene);
  update_scene (self, scene);
}

/* ---------------------------------------------------------------------------------------- */
/* Following changes                                                                        */

static void
cancel_idle (LoomStore *self)
{
  if (self->inputs_idle == NULL)
    return;
  g_source_destroy (self->inputs_idle);
  g_clear_pointer (&self->inputs_idle, g_source_unref);
}

static gboolean
flush_pending (gpointer data)
{
  LoomStore *self = data;
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer scene;

  g_clear_pointer (&self->inputs_idle, g_source_unref);
  g_hash_table_iter_init (&iter, self->inputs_pending);
  while (g_hash_table_iter_next (&iter, &scene, NULL))
    {
      g_ptr_array_add (scenes, scene);
      g_hash_table_iter_steal (&iter);
    }
  for (guint i = 0; i < scenes->len; i++)
    update_scene (self, g_ptr_array_index (scenes, i));
  return G_SOURCE_REMOVE;
}

static void
mark_pending (LoomStore *self,
              LoomScene *scene)
{
  if (self->inputs_pending == NULL || self->refreshing)
    return;
  g_hash_table_add (self->inputs_pending, g_object_ref (scene));
  /* Before the next frame, so that every view shows the change at once. */
  if (self->inputs_idle == NULL)
    {
      /* In the context of the thread that uses the store: a store opened by a worker thread
       * must not be worked on by the main loop. */
      self->inputs_idle = g_idle_source_new ();
      g_source_set_priority (self->inputs_idle, G_PRIORITY_HIGH_IDLE);
      g_source_set_callback (self->inputs_idle, flush_pending, self, NULL);
      g_source_set_static_name (self->inputs_idle, "[storyloom] outdated marks");
      g_source_attach (self->inputs_idle, self->context);
    }
}

/**
 * _loom_store_input_changed:
 *
 * The input @kind of id @ref_id changed (or went): the scenes whose prompt used it are worked
 * out again.
 */
void
_loom_store_input_changed (LoomStore       *self,
                           LoomSceneInputs  kind,
                           gint64           ref_id)
{
  sqlite3_stmt *stmt;

  /* While the store reads the library, the whole of it is worked out once afterwards. */
  if (!_loom_store_check_open (self, NULL) || self->inputs_pending == NULL || self->refreshing)
    return;
  stmt = _loom_store_get_statement (self,
                                    "SELECT scene_id FROM scene_inputs"
                                    " WHERE kind = ?1 AND ref_id = ?2", "", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, ref_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      LoomScene *scene = g_hash_table_lookup (self->scenes_by_id, &id);

      if (scene != NULL)
        mark_pending (self, scene);
    }
  sqlite3_reset (stmt);
}

/* Scenes moved, came or went: where each stands, and what comes before it, may have changed. */
static void
story_changed (LoomStore *self,
               LoomStory *story)
{
  GHashTableIter iter;
  gpointer value;

  if (!_loom_store_check_open (self, NULL) || self->inputs_pending == NULL || self->refreshing)
    return;
  g_hash_table_iter_init (&iter, self->scenes_by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LoomScene *scene = value;

      if (scene->chapter != NULL && scene->chapter->story == story)
        mark_pending (self, scene);
    }
}

/**
 * _loom_store_inputs_refresh:
 *
 * After the store read the library (at open, or after another program wrote it): any scene's
 * inputs, or what was recorded for it, may differ. Works out every scene that has recorded
 * inputs or shows a mark, at once, so that no getter has to read the library.
 */
void
_loom_store_inputs_refresh (LoomStore *self)
{
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt;

  if (!_loom_store_check_open (self, NULL) || self->inputs_pending == NULL)
    return;
  g_hash_table_remove_all (self->inputs_pending);
  stmt = _loom_store_get_statement (self, "SELECT DISTINCT scene_id FROM scene_inputs",
                                    _("reading what the scene was generated from"), NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      LoomScene *scene = g_hash_table_lookup (self->scenes_by_id, &id);

      if (scene != NULL)
        g_ptr_array_add (scenes, g_object_ref (scene));
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  /* and those whose rows went: their mark goes too */
  g_hash_table_iter_init (&iter, self->scenes_by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (LOOM_SCENE (value)->stale_inputs != 0 && !g_ptr_array_find (scenes, value, NULL))
      g_ptr_array_add (scenes, g_object_ref (value));
  for (guint i = 0; i < scenes->len; i++)
    update_scene (self, g_ptr_array_index (scenes, i));
}

/**
 * loom_store_update_outdated:
 *
 * Works out now the outdated marks that changes made since the last main loop iteration wait
 * for (they are worked out before the next frame anyway); for a program without a main loop.
 */
void
loom_store_update_outdated (LoomStore *self)
{
  g_return_if_fail (LOOM_IS_STORE (self));

  if (self->inputs_pending == NULL)
    return;
  cancel_idle (self);
  flush_pending (self);
}

static LoomStore *
store_of_scene (LoomScene *scene)
{
  return scene->chapter != NULL && scene->chapter->story != NULL ? scene->chapter->story->store
                                                                 : NULL;
}

static void
on_scene_notify (LoomScene  *scene,
                 GParamSpec *pspec)
{
  LoomStore *self = store_of_scene (scene);
  const char *name = pspec->name;

  if (self == NULL)
    return;
  if (g_str_equal (name, "outline"))
    {
      _loom_store_input_changed (self, LOOM_SCENE_INPUT_OUTLINE, scene->id);
      _loom_store_input_changed (self, LOOM_SCENE_INPUT_CHAPTER, scene->chapter->id);
      /* an unwritten scene's outline stands in for its ending */
      _loom_store_input_changed (self, LOOM_SCENE_INPUT_PREVIOUS, scene->id);
    }
  else if (g_str_equal (name, "updated-at"))
    {
      /* its prose: the next scene's prompt quotes how it ends */
      _loom_store_input_changed (self, LOOM_SCENE_INPUT_PREVIOUS, scene->id);
      mark_pending (self, scene);
    }
  else
    story_changed (self, scene->chapter->story);
}

static void
on_chapter_notify (LoomChapter *chapter,
                   GParamSpec  *pspec)
{
  LoomStore *self = chapter->story != NULL ? chapter->story->store : NULL;

  if (g_str_equal (pspec->name, "title"))
    _loom_store_input_changed (self, LOOM_SCENE_INPUT_CHAPTER, chapter->id);
  else if (self != NULL)
    story_changed (self, chapter->story);
}

static void
on_story_notify (LoomStory  *story,
                 GParamSpec *pspec)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "scene-count") || g_str_equal (name, "chapter-count"))
    story_changed (story->store, story);
  else
    _loom_store_input_changed (story->store, LOOM_SCENE_INPUT_STORY, story->id);
}

static void
on_character_notify (LoomCharacter *character)
{
  if (character->story != NULL)
    _loom_store_input_changed (character->story->store, LOOM_SCENE_INPUT_CHARACTER,
                               character->id);
}

static void
on_entry_notify (LoomEntry *entry)
{
  if (entry->story != NULL)
    _loom_store_input_changed (entry->story->store, LOOM_SCENE_INPUT_ENTRY, entry->id);
}

/* Called by each model object's constructor: what a prompt takes from it, it reports here. */
void
_loom_store_watch_inputs (GObject *object)
{
  static const char *const scene_details[] = { "outline", "updated-at", "number", "chapter" };
  static const char *const story_details[] = {
    "title", "premise", "style-notes", "scene-count", "chapter-count",
  };

  if (LOOM_IS_SCENE (object))
    {
      for (guint i = 0; i < G_N_ELEMENTS (scene_details); i++)
        {
          g_autofree char *signal = g_strconcat ("notify::", scene_details[i], NULL);

          g_signal_connect (object, signal, G_CALLBACK (on_scene_notify), NULL);
        }
    }
  else if (LOOM_IS_CHAPTER (object))
    {
      g_signal_connect (object, "notify::title", G_CALLBACK (on_chapter_notify), NULL);
      g_signal_connect (object, "notify::number", G_CALLBACK (on_chapter_notify), NULL);
    }
  else if (LOOM_IS_STORY (object))
    {
      for (guint i = 0; i < G_N_ELEMENTS (story_details); i++)
        {
          g_autofree char *signal = g_strconcat ("notify::", story_details[i], NULL);

          g_signal_connect (object, signal, G_CALLBACK (on_story_notify), NULL);
        }
    }
  else if (LOOM_IS_CHARACTER (object))
    g_signal_connect (object, "notify", G_CALLBACK (on_character_notify), NULL);
  else if (LOOM_IS_ENTRY (object))
    g_signal_connect (object, "notify", G_CALLBACK (on_entry_notify), NULL);
}

void
_loom_store_inputs_init (LoomStore *self)
{
  self->inputs_pending = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->context = g_main_context_ref_thread_default ();
}

/* A reader (loom_store_open_reader()) shows no marks: it is often used from a worker thread,
 * whose changes the main loop must not work on, and writes nothing that could change them. */
void
_loom_store_inputs_disable (LoomStore *self)
{
  cancel_idle (self);
  g_clear_pointer (&self->inputs_pending, g_hash_table_unref);
}

void
_loom_store_inputs_clear (LoomStore *self)
{
  cancel_idle (self);
  if (self->inputs_pending != NULL)
    g_hash_table_remove_all (self->inputs_pending);
}
