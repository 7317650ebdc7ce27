/* loom-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-entry"

#include "config.h"

#include "loom-model-private.h"

G_DEFINE_FINAL_TYPE (LoomEntry, loom_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STORY,
  PROP_KIND,
  PROP_NAME,
  PROP_ALIASES,
  PROP_DESCRIPTION,
  PROP_INCLUSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* As the library names them: never renamed, a later version only adds. */
static const char *const kind_names[] = { "place", "object", "group", "lore" };
static const char *const inclusion_names[] = { "always", "mentioned", "never" };

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == LOOM_ENTRY_N_KINDS);

const char *
loom_entry_kind_to_string (LoomEntryKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "lore");
  return kind_names[kind];
}

gboolean
loom_entry_kind_from_string (const char    *text,
                             LoomEntryKind *kind)
{
  int i = loom_enum_index_of_name (kind_names, G_N_ELEMENTS (kind_names), text);

  if (i >= 0)
    *kind = (LoomEntryKind) i;
  return i >= 0;
}

const char *
loom_inclusion_to_string (LoomInclusion inclusion)
{
  g_return_val_if_fail ((guint) inclusion < G_N_ELEMENTS (inclusion_names), "mentioned");
  return inclusion_names[inclusion];
}

gboolean
loom_inclusion_from_string (const char    *text,
                            LoomInclusion *inclusion)
{
  int i = loom_enum_index_of_name (inclusion_names, G_N_ELEMENTS (inclusion_names), text);

  if (i >= 0)
    *inclusion = (LoomInclusion) i;
  return i >= 0;
}

/**
 * loom_aliases_split:
 * @aliases: (nullable): aliases as the writer types them, separated by commas
 *
 * Returns: (transfer full): the aliases, trimmed, without empty ones
 */
char **
loom_aliases_split (const char *aliases)
{
  g_auto(GStrv) parts = g_strsplit (aliases ? aliases : "", ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
loom_entry_finalize (GObject *object)
{
  LoomEntry *self = (LoomEntry *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->aliases, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (loom_entry_parent_class)->finalize (object);
}

static void
loom_entry_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LoomEntry *self = LOOM_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ALIASES:
      g_value_set_string (value, self->aliases);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_INCLUSION:
      g_value_set_enum (value, self->inclusion);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_entry_class_init (LoomEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = loom_entry_finalize;
  object_class->get_property = loom_entry_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STORY] = g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, LOOM_TYPE_ENTRY_KIND,
                                             LOOM_ENTRY_PLACE, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ALIASES] = g_param_spec_string ("aliases", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_INCLUSION] = g_param_spec_enum ("inclusion", NULL, NULL, LOOM_TYPE_INCLUSION,
                                                  LOOM_INCLUSION_MENTIONED, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_entry_init (LoomEntry *self)
{
  self->inclusion = LOOM_INCLUSION_MENTIONED;
}

LoomEntry *
_loom_entry_new (LoomStory *story)
{
  LoomEntry *self = g_object_new (LOOM_TYPE_ENTRY, NULL);

  self->story = story;
  _loom_store_watch_inputs (G_OBJECT (self));
  return self;
}

static LoomStore *
entry_store (LoomEntry *self)
{
  return self->story ? self->story->store : NULL;
}

/* All kept as "" when there are none. */
static const LoomTextColumn text_columns[] = {
  { "name", G_STRUCT_OFFSET (LoomEntry, name), LOOM_TEXT_NOT_BLANK, TRUE },
  { "aliases", G_STRUCT_OFFSET (LoomEntry, aliases), LOOM_TEXT_ONE_LINE, TRUE },
  { "description", G_STRUCT_OFFSET (LoomEntry, description), LOOM_TEXT_ANY, TRUE },
};

static const LoomTextColumns entry_texts = {
  "entries", text_columns, G_N_ELEMENTS (text_columns),
};

/**
 * loom_entry_set_text_edited:
 * @property: "name", "aliases" or "description"
 * @base: the text the writer started from, as the row loaded it
 * @before: (out) (optional) (transfer full): the text the library held before, for undo
 *
 * Stores the writer's @text. Should another program have changed it since @base was read,
 * both versions are kept, the writer's first, and #LoomStore::text-conflict says so.
 */
gboolean
loom_entry_set_text_edited (LoomEntry   *self,
                            const char  *property,
                            const char  *text,
                            const char  *base,
                            char       **before,
                            GError     **error)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), FALSE);
  return _loom_model_edit_text (G_OBJECT (self), entry_store (self), self->id, &entry_texts,
                                property, text, base, before, error);
}

gint64
loom_entry_get_id (LoomEntry *self)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), 0);
  return self->id;
}

LoomStory *
loom_entry_get_story (LoomEntry *self)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), NULL);
  return self->story;
}

LoomEntryKind
loom_entry_get_kind (LoomEntry *self)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), LOOM_ENTRY_LORE);
  return (LoomEntryKind) self->kind;
}

gboolean
loom_entry_set_kind (LoomEntry      *self,
                     LoomEntryKind   kind,
                     GError        **error)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), FALSE);
  g_return_val_if_fail ((guint) kind < LOOM_ENTRY_N_KINDS, FALSE);

  return _loom_store_set_choice (entry_store (self), G_OBJECT (self), "entries", &self->kind,
                                 kind, loom_entry_kind_to_string (kind), properties[PROP_KIND],
                                 error);
}

const char *
loom_entry_get_name (LoomEntry *self)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), NULL);
  return self->name;
}

gboolean
loom_entry_set_name (LoomEntry   *self,
                     const char  *name,
                     GError     **error)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), FALSE);
  return loom_entry_set_text_edited (self, "name", name, self->name, NULL, error);
}

const char *
loom_entry_get_aliases (LoomEntry *self)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), NULL);
  return self->aliases;
}

gboolean
loom_entry_set_aliases (LoomEntry   *self,
                        const char  *aliases,
                        GError     **error)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), FALSE);
  return loom_entry_set_text_edited (self, "aliases", aliases, self->aliases, NULL, error);
}

const char *
loom_entry_get_description (LoomEntry *self)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), NULL);
  return self->description;
}

gboolean
loom_entry_set_description (LoomEntry   *self,
                            const char  *description,
                            GError     **error)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), FALSE);
  return loom_entry_set_text_edited (self, "description", description, self->description, NULL,
                                     error);
}

LoomInclusion
loom_entry_get_inclusion (LoomEntry *self)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), LOOM_INCLUSION_MENTIONED);
  return (LoomInclusion) self->inclusion;
}

gboolean
loom_entry_set_inclusion (LoomEntry      *self,
                          LoomInclusion   inclusion,
                          GError        **error)
{
  g_return_val_if_fail (LOOM_IS_ENTRY (self), FALSE);
  g_return_val_if_fail ((guint) inclusion <= LOOM_INCLUSION_NEVER, FALSE);

  return _loom_store_set_choice (entry_store (self), G_OBJECT (self), "entries",
                                 &self->inclusion, inclusion,
                                 loom_inclusion_to_string (inclusion),
                                 properties[PROP_INCLUSION], error);
}

/* Private setter: the store calls it when another program changed the row. */
void
_loom_entry_update (LoomEntry          *self,
                    const LoomEntryRow *row)
{
  loom_mirror_uint (self, &self->kind, row->kind, properties[PROP_KIND]);
  loom_mirror_string (self, &self->name, row->name, properties[PROP_NAME]);
  loom_mirror_string (self, &self->aliases, row->aliases, properties[PROP_ALIASES]);
  loom_mirror_string (self, &self->description, row->description,
                      properties[PROP_DESCRIPTION]);
  loom_mirror_uint (self, &self->inclusion, row->inclusion, properties[PROP_INCLUSION]);
}
