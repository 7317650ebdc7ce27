/* loom-character.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_CHARACTER (loom_character_get_type ())

G_DECLARE_FINAL_TYPE (LoomCharacter, loom_character, LOOM, CHARACTER, GObject)

gint64       loom_character_get_id        (LoomCharacter  *self);
LoomStory   *loom_character_get_story     (LoomCharacter  *self);
const char  *loom_character_get_name      (LoomCharacter  *self);
gboolean     loom_character_set_name      (LoomCharacter  *self,
                                           const char     *name,
                                           GError        **error);
const char  *loom_character_get_traits    (LoomCharacter  *self);
gboolean     loom_character_set_traits    (LoomCharacter  *self,
                                           const char     *traits,
                                           GError        **error);
const char  *loom_character_get_backstory (LoomCharacter  *self);
gboolean     loom_character_set_backstory (LoomCharacter  *self,
                                           const char     *backstory,
                                           GError        **error);
const char  *loom_character_get_aliases   (LoomCharacter  *self);
gboolean     loom_character_set_aliases   (LoomCharacter  *self,
                                           const char     *aliases,
                                           GError        **error);
LoomInclusion loom_character_get_inclusion (LoomCharacter *self);
gboolean     loom_character_set_inclusion (LoomCharacter  *self,
                                           LoomInclusion   inclusion,
                                           GError        **error);
gboolean     loom_character_set_text_edited (LoomCharacter  *self,
                                             const char     *property,
                                             const char     *text,
                                             const char     *base,
                                             char          **before,
                                             GError        **error);

G_END_DECLS
