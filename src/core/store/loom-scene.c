/* loom-scene.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-scene"

#include "config.h"

#include <string.h>

#include "loom-store-private.h"

G_DEFINE_FINAL_TYPE (LoomScene, loom_scene, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CHAPTER,
  PROP_NUMBER,
  PROP_OUTLINE,
  PROP_PROSE,
  PROP_STATUS,
  PROP_ERROR_MESSAGE,
  PROP_REGENERATION_COUNT,
  PROP_WORD_COUNT,
  PROP_UPDATED_AT,
  PROP_QUEUED,
  PROP_STALE_INPUTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const status_names[] = { "draft", "generating", "complete", "error" };

const char *
loom_scene_status_to_string (LoomSceneStatus status)
{
  g_return_val_if_fail (status <= LOOM_SCENE_STATUS_ERROR, "draft");
  return status_names[status];
}

gboolean
loom_scene_status_from_string (const char      *text,
                               LoomSceneStatus *status)
{
  int i = loom_enum_index_of_name (status_names, G_N_ELEMENTS (status_names), text);

  if (i >= 0)
    *status = (LoomSceneStatus) i;
  return i >= 0;
}

static void
loom_scene_finalize (GObject *object)
{
  LoomScene *self = (LoomScene *) object;

  g_clear_pointer (&self->outline, g_free);
  g_clear_pointer (&self->prose, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (loom_scene_parent_class)->finalize (object);
}

static void
loom_scene_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LoomScene *self = LOOM_SCENE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CHAPTER:
      g_value_set_object (value, self->chapter);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_OUTLINE:
      g_value_set_string (value, self->outline);
      break;
    case PROP_PROSE:
      g_value_set_string (value, self->prose);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_REGENERATION_COUNT:
      g_value_set_uint (value, self->regeneration_count);
      break;
    case PROP_WORD_COUNT:
      g_value_set_uint (value, self->word_count);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_QUEUED:
      g_value_set_boolean (value, self->queued);
      break;
    case PROP_STALE_INPUTS:
      g_value_set_uint (value, self->stale_inputs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_scene_class_init (LoomSceneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = loom_scene_finalize;
  object_class->get_property = loom_scene_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CHAPTER] =
    g_param_spec_object ("chapter", NULL, NULL, LOOM_TYPE_CHAPTER, flags);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_OUTLINE] = g_param_spec_string ("outline", NULL, NULL, NULL, flags);
  /* NULL until loom_scene_load_prose(): reading a property never reads the library. */
  properties[PROP_PROSE] = g_param_spec_string ("prose", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, LOOM_TYPE_SCENE_STATUS, LOOM_SCENE_STATUS_DRAFT,
                       flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_REGENERATION_COUNT] =
    g_param_spec_uint ("regeneration-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_WORD_COUNT] =
    g_param_spec_uint ("word-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* Waiting for a generation slot: shown in the sidebar, never stored. */
  properties[PROP_QUEUED] = g_param_spec_boolean ("queued", NULL, NULL, FALSE, flags);
  /* LoomSceneInputs: what changed since the prose was generated (see
   * loom_scene_get_stale_inputs()); 0 when up to date or never generated. */
  properties[PROP_STALE_INPUTS] =
    g_param_spec_uint ("stale-inputs", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_scene_init (LoomScene *self)
{
  /* A zeroed LoomProseMark never matches. */
  self->prose_serial = 1;
}

LoomScene *
_loom_scene_new (LoomChapter *chapter)
{
  LoomScene *self = g_object_new (LOOM_TYPE_SCENE, NULL);

  self->chapter = chapter;
  _loom_store_watch_inputs (G_OBJECT (self));
  return self;
}

static LoomStore *
scene_store (LoomScene *self)
{
  if (self->chapter == NULL || self->chapter->story == NULL)
    return NULL;
  return self->chapter->story->store;
}

gint64
loom_scene_get_id (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), 0);
  return self->id;
}

LoomChapter *
loom_scene_get_chapter (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);
  return self->chapter;
}

LoomStory *
loom_scene_get_story (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);
  return self->chapter ? self->chapter->story : NULL;
}

guint
loom_scene_get_number (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), 0);
  return self->number;
}

const char *
loom_scene_get_outline (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);
  return self->outline;
}

static void
set_updated_at (LoomScene *self,
                gint64     updated_at)
{
  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gboolean
loom_scene_set_outline (LoomScene   *self,
                        const char  *outline,
                        GError     **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);
  return loom_scene_set_outline_edited (self, outline, self->outline, NULL, error);
}

/**
 * loom_scene_set_outline_edited:
 * @base: the outline the writer started from, as the editor loaded it
 * @before: (out) (optional) (transfer full): the outline the library held before, for undo
 *
 * Stores the writer's @outline. Should another program have changed the outline since @base
 * was read, both versions are kept in it, the writer's first, and #LoomStore::text-conflict
 * says so: the other program's words are never replaced unseen.
 */
gboolean
loom_scene_set_outline_edited (LoomScene   *self,
                               const char  *outline,
                               const char  *base,
                               char       **before,
                               GError     **error)
{
  g_auto(LoomTextEdit) edit = {
    .table = "scenes", .column = "outline", .what = "outline", .flags = LOOM_TEXT_ANY,
  };

  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);

  edit.id = self->id;
  edit.base = base ? base : "";
  edit.value = outline ? outline : "";
  if (!_loom_store_edit_text (scene_store (self), &edit, G_OBJECT (self), &self->outline,
                              properties[PROP_OUTLINE], before, error))
    return FALSE;
  if (edit.updated_at != 0)
    set_updated_at (self, edit.updated_at);
  return TRUE;
}

/* Where the first line of @outline starts and ends: the spaces and empty lines before it are
 * not part of it. */
static const char *
title_bounds (const char  *outline,
              const char **end)
{
  while (g_ascii_isspace (*outline))
    outline++;
  *end = strchr (outline, '\n');
  if (*end == NULL)
    *end = outline + strlen (outline);
  return outline;
}

/**
 * loom_scene_dup_title:
 *
 * A scene has no title of its own: it is named by the first line of its outline, as the sidebar
 * shows it.
 *
 * Returns: (transfer full) (nullable): that line, %NULL when the outline is empty
 */
char *
loom_scene_dup_title (LoomScene *self)
{
  const char *start;
  const char *end;

  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);

  start = title_bounds (self->outline ? self->outline : "", &end);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (end == start)
    return NULL;
  return g_strndup (start, end - start);
}

/**
 * loom_scene_set_title:
 * @title: the scene's new name; line breaks in it become spaces
 *
 * Renames the scene: the first line of its outline becomes @title, and the rest of the outline
 * stays as it was.
 */
gboolean
loom_scene_set_title (LoomScene   *self,
                      const char  *title,
                      GError     **error)
{
  g_autofree char *line = NULL;
  g_autofree char *outline = NULL;
  const char *end;

  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  line = g_strstrip (g_strdelimit (g_strdup (title), "\r\n", ' '));
  title_bounds (self->outline ? self->outline : "", &end);
  outline = g_strconcat (line, end, NULL);
  return loom_scene_set_outline (self, outline, error);
}

/**
 * loom_scene_load_prose:
 *
 * Reads the prose from the library unless it is already in memory. Lists load scenes without
 * their prose so that opening a long story stays fast.
 */
gboolean
loom_scene_load_prose (LoomScene  *self,
                       GError    **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);

  if (self->prose_loaded)
    return TRUE;
  return _loom_store_load_prose (scene_store (self), self, error);
}

/**
 * loom_scene_get_prose:
 *
 * The prose in memory: a getter never reads the library. Call loom_scene_load_prose() first,
 * which says what went wrong when the prose cannot be read.
 *
 * Returns: (nullable): the prose; %NULL when the scene has none or it is not loaded yet
 */
const char *
loom_scene_get_prose (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);
  return self->prose;
}

/**
 * loom_scene_set_prose:
 *
 * Stores @prose. Should another program have changed the prose in the file since this store
 * last saw it, that text is kept as a revision first (see #LoomStore::prose-conflict).
 */
gboolean
loom_scene_set_prose (LoomScene   *self,
                      const char  *prose,
                      GError     **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);
  return _loom_store_save_prose (scene_store (self), self, prose, self->prose_serial, NULL,
                                 error);
}

/**
 * loom_scene_get_prose_version:
 *
 * A number that changes whenever the prose in memory changes: saved here, generated, or
 * reloaded after another program wrote it. An editor notes it when it shows the prose.
 */
guint
loom_scene_get_prose_version (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), 0);
  return self->prose_serial;
}

/**
 * loom_scene_set_prose_edited:
 * @base_version: loom_scene_get_prose_version() when the editor showed the prose it edited
 *
 * Stores the writer's @prose like loom_scene_set_prose(); if the scene's prose changed since
 * @base_version (another program's text was reloaded meanwhile), that text is kept as a
 * revision rather than silently replaced.
 */
gboolean
loom_scene_set_prose_edited (LoomScene   *self,
                             const char  *prose,
                             guint        base_version,
                             GError     **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);
  return _loom_store_save_prose (scene_store (self), self, prose, base_version, NULL, error);
}

/**
 * loom_scene_set_prose_tracked:
 * @spans: who wrote each character of @prose, as the editor followed its edits
 *
 * Stores the writer's @prose like loom_scene_set_prose_edited(), with its provenance in the
 * same transaction. Spans that do not fit @prose are not trusted: what changed is then
 * unknown.
 */
gboolean
loom_scene_set_prose_tracked (LoomScene       *self,
                              const char      *prose,
                              guint            base_version,
                              LoomProvenance  *spans,
                              GError         **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);
  g_return_val_if_fail (spans == NULL || LOOM_IS_PROVENANCE (spans), FALSE);
  return _loom_store_save_prose (scene_store (self), self, prose, base_version, spans, error);
}

void
_loom_scene_take_prose (LoomScene *self,
                        char      *prose)
{
  g_free (self->prose);
  self->prose = prose;
  self->prose_length = prose != NULL ? strlen (prose) : 0;
  self->prose_size = prose != NULL ? self->prose_length + 1 : 0;
  self->prose_serial++;
  self->prose_loaded = TRUE;
}

gboolean
_loom_scene_replace_prose (LoomScene  *self,
                           const char *prose)
{
  self->prose_loaded = TRUE;
  if (self->prose == prose || g_strcmp0 (self->prose, prose) == 0)
    return FALSE;
  _loom_scene_take_prose (self, g_strdup (prose));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROSE]);
  return TRUE;
}

/**
 * loom_scene_stream_prose:
 *
 * Shows @prose as the scene's prose without storing it: a generation starts its stream this
 * way, adds to it with loom_scene_stream_append() and stores it with loom_store_flush_prose()
 * now and then and at the end.
 */
void
loom_scene_stream_prose (LoomScene  *self,
                         const char *prose)
{
  g_return_if_fail (LOOM_IS_SCENE (self));

  _loom_scene_replace_prose (self, prose);
}

/**
 * loom_scene_stream_append:
 * @text: valid UTF-8
 * @length: the length of @text in bytes, or -1 when it ends with a nul
 *
 * Adds @text at the end of the prose shown, without storing it, like
 * loom_scene_stream_prose(). Its cost depends on @text alone, not on the prose so far, so a
 * long answer streams in linear time; views follow with loom_scene_get_prose_since().
 */
void
loom_scene_stream_append (LoomScene  *self,
                          const char *text,
                          gssize      length)
{
  gsize needed;

  g_return_if_fail (LOOM_IS_SCENE (self));
  g_return_if_fail (text != NULL || length == 0);

  if (length < 0)
    length = strlen (text);
  g_return_if_fail (g_utf8_validate (text, length, NULL));
  if (length == 0)
    return;

  if (!self->prose_loaded)
    _loom_scene_take_prose (self, NULL);

  needed = self->prose_length + length + 1;
  if (needed > self->prose_size)
    {
      /* Doubling keeps the copies of a growing text linear in its final length. */
      self->prose_size = MAX (needed, MAX (self->prose_size * 2, 256));
      self->prose = g_realloc (self->prose, self->prose_size);
    }
  memcpy (self->prose + self->prose_length, text, length);
  self->prose_length += length;
  self->prose[self->prose_length] = '\0';

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROSE]);
}

/**
 * loom_scene_mark_prose:
 * @mark: (out caller-allocates): where the prose is now
 *
 * Remembers the prose's end, so that a view showing it can later ask for only what was
 * appended since (loom_scene_get_prose_since()).
 */
void
loom_scene_mark_prose (LoomScene     *self,
                       LoomProseMark *mark)
{
  g_return_if_fail (LOOM_IS_SCENE (self));
  g_return_if_fail (mark != NULL);

  mark->serial = self->prose_loaded ? self->prose_serial : 0;
  mark->length = self->prose_length;
}

/**
 * loom_scene_get_prose_since:
 *
 * Returns: (nullable): the text appended to the prose since @mark was taken (possibly ""), or
 *   %NULL when the prose was replaced since, or not loaded: then show it all again
 */
const char *
loom_scene_get_prose_since (LoomScene           *self,
                            const LoomProseMark *mark)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);
  g_return_val_if_fail (mark != NULL, NULL);

  if (!self->prose_loaded || mark->serial != self->prose_serial ||
      mark->length > self->prose_length)
    return NULL;
  return self->prose != NULL ? self->prose + mark->length : "";
}

gboolean
loom_scene_get_queued (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);
  return self->queued;
}

void
loom_scene_set_queued (LoomScene *self,
                       gboolean   queued)
{
  g_return_if_fail (LOOM_IS_SCENE (self));

  queued = !!queued;
  if (self->queued == queued)
    return;
  self->queued = queued;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUED]);
}

/**
 * loom_scene_get_stale_inputs:
 *
 * The #LoomSceneInputs that changed since the scene's prose was generated: 0 when none did,
 * when the writer edited the prose since, or when it was never generated. The store keeps it
 * right as inputs change, and notifies, before the next frame (loom_store_update_outdated()
 * at once).
 */
guint
loom_scene_get_stale_inputs (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), 0);
  return self->stale_inputs;
}

/* Whether the prose no longer follows what it was generated from. */
gboolean
loom_scene_get_outdated (LoomScene *self)
{
  return loom_scene_get_stale_inputs (self) != 0;
}

/**
 * loom_scene_dup_previous:
 *
 * Returns: (transfer full) (nullable): the scene before this one in the story, across chapters
 */
LoomScene *
loom_scene_dup_previous (LoomScene *self)
{
  GListModel *chapters;
  LoomScene *previous = NULL;

  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);

  chapters = loom_story_get_chapters (self->chapter->story);
  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint s = 0; s < g_list_model_get_n_items (scenes); s++)
        {
          LoomScene *scene = g_list_model_get_item (scenes, s);

          if (scene == self)
            {
              g_object_unref (scene);
              return previous;
            }
          g_clear_object (&previous);
          previous = scene;
        }
    }
  g_clear_object (&previous);
  return NULL;
}

LoomSceneStatus
loom_scene_get_status (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), LOOM_SCENE_STATUS_DRAFT);
  return self->status;
}

const char *
loom_scene_get_error_message (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), NULL);
  return self->error_message;
}

gboolean
loom_scene_set_status (LoomScene        *self,
                       LoomSceneStatus   status,
                       const char       *error_message,
                       GError          **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), FALSE);
  g_return_val_if_fail (status <= LOOM_SCENE_STATUS_ERROR, FALSE);
  return _loom_store_set_scene_status (scene_store (self), self, status, error_message, error);
}

guint
loom_scene_get_regeneration_count (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), 0);
  return self->regeneration_count;
}

guint
loom_scene_get_word_count (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), 0);
  return self->word_count;
}

gint64
loom_scene_get_updated_at (LoomScene *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE (self), 0);
  return self->updated_at;
}

/* ---------------------------------------------------------------------------------------- */
/* Private setters: the store calls them after a committed write                            */

void
_loom_scene_update (LoomScene          *self,
                    LoomChapter        *chapter,
                    const LoomSceneRow *row)
{
  _loom_scene_set_chapter (self, chapter);
  _loom_scene_set_number (self, row->number);
  loom_mirror_string (self, &self->outline, row->outline, properties[PROP_OUTLINE]);
  if (!self->generating_here && self->status != row->status)
    {
      self->status = row->status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  loom_mirror_string (self, &self->error_message, row->error_message,
                      properties[PROP_ERROR_MESSAGE]);
  loom_mirror_uint (self, &self->regeneration_count, row->regeneration_count,
                    properties[PROP_REGENERATION_COUNT]);
  if (self->generating_here)
    return;
  if (row->prose_read)
    _loom_scene_replace_prose (self, row->prose);
  loom_mirror_uint (self, &self->word_count, row->word_count, properties[PROP_WORD_COUNT]);
  loom_mirror_int64 (self, &self->updated_at, row->updated_at, properties[PROP_UPDATED_AT]);
}

void
_loom_scene_set_number (LoomScene *self,
                        guint      number)
{
  loom_mirror_uint (self, &self->number, number, properties[PROP_NUMBER]);
}

void
_loom_scene_set_chapter (LoomScene   *self,
                         LoomChapter *chapter)
{
  if (self->chapter == chapter)
    return;
  self->chapter = chapter;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAPTER]);
}

void
_loom_scene_set_status (LoomScene       *self,
                        LoomSceneStatus  status,
                        const char      *error_message)
{
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  loom_mirror_string (self, &self->error_message, error_message, properties[PROP_ERROR_MESSAGE]);
}

void
_loom_scene_set_stale_inputs (LoomScene *self,
                              guint      inputs)
{
  if (self->stale_inputs == inputs)
    return;
  self->stale_inputs = inputs;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE_INPUTS]);
}

void
_loom_scene_add_regeneration (LoomScene *self)
{
  self->regeneration_count++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGENERATION_COUNT]);
}

gint64
_loom_scene_set_prose (LoomScene  *self,
                       const char *prose,
                       guint       word_count,
                       gint64      updated_at)
{
  gint64 delta = (gint64) word_count - self->word_count;

  self->updated_at = updated_at;
  _loom_scene_replace_prose (self, prose);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
  loom_mirror_uint (self, &self->word_count, word_count, properties[PROP_WORD_COUNT]);
  return delta;
}
