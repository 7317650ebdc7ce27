/* loom-store-editor.h: the widgets that save the writer's edits through the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LOOM_TYPE_STORE_EDITOR (loom_store_editor_get_type ())

G_DECLARE_INTERFACE (LoomStoreEditor, loom_store_editor, LOOM, STORE_EDITOR, GObject)

struct _LoomStoreEditorInterface
{
  GTypeInterface parent_iface;
};

void loom_store_editor_emit_error  (LoomStoreEditor *self,
                                    const GError    *error);
void loom_store_editor_emit_edited (LoomStoreEditor *self,
                                    GObject         *item,
                                    const char      *property,
                                    const char      *before);

G_END_DECLS
