/* loom-revision.c
 *
 * Revisions are immutable snapshots, so they are plain objects built by the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-revision"

#include "config.h"

#include "loom-revision.h"
#include "loom-words.h"

struct _LoomRevision
{
  GObject             parent_instance;

  gint64              id;
  gint64              scene_id;
  char               *prose;
  LoomRevisionOrigin  origin;
  char               *model;
  gint64              created_at;   /* when it was archived */
  guint               word_count;
  LoomProseOrigin     author;
  gint64              written_at;   /* when its text was written; 0 when not recorded */
};

G_DEFINE_FINAL_TYPE (LoomRevision, loom_revision, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROSE,
  PROP_ORIGIN,
  PROP_MODEL,
  PROP_CREATED_AT,
  PROP_WORD_COUNT,
  PROP_AUTHOR,
  PROP_WRITTEN_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const origin_names[] = {
  "generation", "restore", "partial", "edit", "elsewhere", "replace",
};

const char *
loom_revision_origin_to_string (LoomRevisionOrigin origin)
{
  g_return_val_if_fail (origin <= LOOM_REVISION_REPLACE, "edit");
  return origin_names[origin];
}

gboolean
loom_revision_origin_from_string (const char         *text,
                                  LoomRevisionOrigin *origin)
{
  int i = loom_enum_index_of_name (origin_names, G_N_ELEMENTS (origin_names), text);

  if (i >= 0)
    *origin = (LoomRevisionOrigin) i;
  return i >= 0;
}

/* NULL in the library is LOOM_PROSE_UNKNOWN, which has no name. */
static const char *const author_names[] = {
  NULL, "writer", "generated", "edited", "partial",
};

const char *
loom_prose_origin_to_string (LoomProseOrigin origin)
{
  g_return_val_if_fail (origin <= LOOM_PROSE_PARTIAL, NULL);
  return author_names[origin];
}

LoomProseOrigin
loom_prose_origin_from_string (const char *text)
{
  int i = loom_enum_index_of_name (author_names, G_N_ELEMENTS (author_names), text);

  return i > 0 ? (LoomProseOrigin) i : LOOM_PROSE_UNKNOWN;
}

/**
 * loom_prose_origin_is_writers:
 *
 * Whether a text of this origin holds words of the writer's own, which generation must not
 * replace without asking. An origin that was not recorded counts as the writer's.
 */
gboolean
loom_prose_origin_is_writers (LoomProseOrigin origin)
{
  return origin != LOOM_PROSE_GENERATED && origin != LOOM_PROSE_PARTIAL;
}

static void
loom_revision_finalize (GObject *object)
{
  LoomRevision *self = (LoomRevision *) object;

  g_clear_pointer (&self->prose, g_free);
  g_clear_pointer (&self->model, g_free);

  G_OBJECT_CLASS (loom_revision_parent_class)->finalize (object);
}

static void
loom_revision_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LoomRevision *self = LOOM_REVISION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PROSE:
      g_value_set_string (value, self->prose);
      break;
    case PROP_ORIGIN:
      g_value_set_enum (value, self->origin);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_WORD_COUNT:
      g_value_set_uint (value, self->word_count);
      break;
    case PROP_AUTHOR:
      g_value_set_enum (value, self->author);
      break;
    case PROP_WRITTEN_AT:
      g_value_set_int64 (value, self->written_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_revision_class_init (LoomRevisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = loom_revision_finalize;
  object_class->get_property = loom_revision_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PROSE] = g_param_spec_string ("prose", NULL, NULL, NULL, flags);
  properties[PROP_ORIGIN] =
    g_param_spec_enum ("origin", NULL, NULL, LOOM_TYPE_REVISION_ORIGIN, LOOM_REVISION_EDIT, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_WORD_COUNT] =
    g_param_spec_uint ("word-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_AUTHOR] =
    g_param_spec_enum ("author", NULL, NULL, LOOM_TYPE_PROSE_ORIGIN, LOOM_PROSE_UNKNOWN, flags);
  properties[PROP_WRITTEN_AT] =
    g_param_spec_int64 ("written-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_revision_init (LoomRevision *self)
{
}

LoomRevision *
loom_revision_new (gint64              id,
                   gint64              scene_id,
                   const char         *prose,
                   LoomRevisionOrigin  origin,
                   const char         *model,
                   gint64              created_at,
                   LoomProseOrigin     author,
                   gint64              written_at)
{
  LoomRevision *self = g_object_new (LOOM_TYPE_REVISION, NULL);

  self->id = id;
  self->scene_id = scene_id;
  self->prose = g_strdup (prose);
  self->origin = origin;
  self->model = g_strdup (model);
  self->created_at = created_at;
  self->word_count = loom_count_words (prose, -1);
  self->author = author;
  self->written_at = MAX (written_at, 0);
  return self;
}

gint64
loom_revision_get_id (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), 0);
  return self->id;
}

gint64
loom_revision_get_scene_id (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), 0);
  return self->scene_id;
}

const char *
loom_revision_get_prose (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), NULL);
  return self->prose;
}

LoomRevisionOrigin
loom_revision_get_origin (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), LOOM_REVISION_EDIT);
  return self->origin;
}

const char *
loom_revision_get_model (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), NULL);
  return self->model;
}

gint64
loom_revision_get_created_at (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), 0);
  return self->created_at;
}

guint
loom_revision_get_word_count (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), 0);
  return self->word_count;
}

LoomProseOrigin
loom_revision_get_author (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), LOOM_PROSE_UNKNOWN);
  return self->author;
}

/**
 * loom_revision_get_written_at:
 *
 * Returns: when the revision's text was written (ms since the epoch), or 0 when the library
 *   did not record it; loom_revision_get_created_at() is when it was archived
 */
gint64
loom_revision_get_written_at (LoomRevision *self)
{
  g_return_val_if_fail (LOOM_IS_REVISION (self), 0);
  return self->written_at;
}
