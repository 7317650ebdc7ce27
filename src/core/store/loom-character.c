/* loom-character.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-character"

#include "config.h"

#include "loom-model-private.h"

G_DEFINE_FINAL_TYPE (LoomCharacter, loom_character, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STORY,
  PROP_NAME,
  PROP_TRAITS,
  PROP_BACKSTORY,
  PROP_ALIASES,
  PROP_INCLUSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
loom_character_finalize (GObject *object)
{
  LoomCharacter *self = (LoomCharacter *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->traits, g_free);
  g_clear_pointer (&self->backstory, g_free);
  g_clear_pointer (&self->aliases, g_free);

  G_OBJECT_CLASS (loom_character_parent_class)->finalize (object);
}

static void
loom_character_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LoomCharacter *self = LOOM_CHARACTER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TRAITS:
      g_value_set_string (value, self->traits);
      break;
    case PROP_BACKSTORY:
      g_value_set_string (value, self->backstory);
      break;
    case PROP_ALIASES:
      g_value_set_string (value, self->aliases);
      break;
    case PROP_INCLUSION:
      g_value_set_enum (value, self->inclusion);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_character_class_init (LoomCharacterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = loom_character_finalize;
  object_class->get_property = loom_character_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STORY] = g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_TRAITS] = g_param_spec_string ("traits", NULL, NULL, NULL, flags);
  properties[PROP_BACKSTORY] = g_param_spec_string ("backstory", NULL, NULL, NULL, flags);
  properties[PROP_ALIASES] = g_param_spec_string ("aliases", NULL, NULL, NULL, flags);
  properties[PROP_INCLUSION] = g_param_spec_enum ("inclusion", NULL, NULL, LOOM_TYPE_INCLUSION,
                                                  LOOM_INCLUSION_ALWAYS, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_character_init (LoomCharacter *self)
{
  self->aliases = g_strdup ("");
  self->inclusion = LOOM_INCLUSION_ALWAYS;
}

LoomCharacter *
_loom_character_new (LoomStory *story)
{
  LoomCharacter *self = g_object_new (LOOM_TYPE_CHARACTER, NULL);

  self->story = story;
  _loom_store_watch_inputs (G_OBJECT (self));
  return self;
}

static LoomStore *
character_store (LoomCharacter *self)
{
  return self->story ? self->story->store : NULL;
}

/* Traits and aliases are kept as "" and the backstory as NULL when there are none. */
static const LoomTextColumn text_columns[] = {
  { "name", G_STRUCT_OFFSET (LoomCharacter, name), LOOM_TEXT_NOT_BLANK, FALSE },
  { "traits", G_STRUCT_OFFSET (LoomCharacter, traits), LOOM_TEXT_ONE_LINE, TRUE },
  { "backstory", G_STRUCT_OFFSET (LoomCharacter, backstory), LOOM_TEXT_NULLABLE, FALSE },
  { "aliases", G_STRUCT_OFFSET (LoomCharacter, aliases), LOOM_TEXT_ONE_LINE, TRUE },
};

static const LoomTextColumns character_texts = {
  "characters", text_columns, G_N_ELEMENTS (text_columns),
};

/**
 * loom_character_set_text_edited:
 * @property: "name", "traits", "backstory" or "aliases"
 * @base: the text the writer started from, as the row loaded it
 * @before: (out) (optional) (transfer full): the text the library held before, for undo
 *
 * Stores the writer's @text. Should another program have changed it since @base was read,
 * both versions are kept, the writer's first, and #LoomStore::text-conflict says so.
 */
gboolean
loom_character_set_text_edited (LoomCharacter  *self,
                                const char     *property,
                                const char     *text,
                                const char     *base,
                                char          **before,
                                GError        **error)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), FALSE);
  return _loom_model_edit_text (G_OBJECT (self), character_store (self), self->id,
                                &character_texts, property, text, base, before, error);
}

gint64
loom_character_get_id (LoomCharacter *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), 0);
  return self->id;
}

LoomStory *
loom_character_get_story (LoomCharacter *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), NULL);
  return self->story;
}

const char *
loom_character_get_name (LoomCharacter *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), NULL);
  return self->name;
}

gboolean
loom_character_set_name (LoomCharacter  *self,
                         const char     *name,
                         GError        **error)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), FALSE);
  return loom_character_set_text_edited (self, "name", name, self->name, NULL, error);
}

const char *
loom_character_get_traits (LoomCharacter *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), NULL);
  return self->traits;
}

gboolean
loom_character_set_traits (LoomCharacter  *self,
                           const char     *traits,
                           GError        **error)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), FALSE);
  return loom_character_set_text_edited (self, "traits", traits, self->traits, NULL, error);
}

const char *
loom_character_get_backstory (LoomCharacter *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), NULL);
  return self->backstory;
}

gboolean
loom_character_set_backstory (LoomCharacter  *self,
                              const char     *backstory,
                              GError        **error)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), FALSE);
  return loom_character_set_text_edited (self, "backstory", backstory, self->backstory, NULL,
                                         error);
}

/**
 * loom_character_get_aliases:
 *
 * Returns: the other names the character goes by, separated by commas ("" for none); see
 *   loom_aliases_split()
 */
const char *
loom_character_get_aliases (LoomCharacter *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), NULL);
  return self->aliases;
}

gboolean
loom_character_set_aliases (LoomCharacter  *self,
                            const char     *aliases,
                            GError        **error)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), FALSE);
  return loom_character_set_text_edited (self, "aliases", aliases, self->aliases, NULL, error);
}

LoomInclusion
loom_character_get_inclusion (LoomCharacter *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), LOOM_INCLUSION_ALWAYS);
  return (LoomInclusion) self->inclusion;
}

gboolean
loom_character_set_inclusion (LoomCharacter  *self,
                              LoomInclusion   inclusion,
                              GError        **error)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER (self), FALSE);
  g_return_val_if_fail ((guint) inclusion <= LOOM_INCLUSION_NEVER, FALSE);
  return _loom_store_set_choice (character_store (self), G_OBJECT (self), "characters",
                                 &self->inclusion, inclusion,
                                 loom_inclusion_to_string (inclusion),
                                 properties[PROP_INCLUSION], error);
}

/* Private setter: the store calls it when another program changed the row. */
void
_loom_character_update (LoomCharacter          *self,
                        const LoomCharacterRow *row)
{
  loom_mirror_string (self, &self->name, row->name, properties[PROP_NAME]);
  loom_mirror_string (self, &self->traits, row->traits, properties[PROP_TRAITS]);
  loom_mirror_string (self, &self->backstory, row->backstory, properties[PROP_BACKSTORY]);
  loom_mirror_string (self, &self->aliases, row->aliases ? row->aliases : "",
                      properties[PROP_ALIASES]);
  loom_mirror_uint (self, &self->inclusion, row->inclusion, properties[PROP_INCLUSION]);
}
