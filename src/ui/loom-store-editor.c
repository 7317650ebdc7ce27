/* loom-store-editor.c: "store-error" and "edited", declared once
 *
 * The scene editor, the character rows and panel, and the sidebar save the writer's edits
 * through the store. They implement this interface, so the window connects one handler for
 * failures and one for undo, whichever widget saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-editor"

#include "config.h"

#include "loom-store-editor.h"

G_DEFINE_INTERFACE (LoomStoreEditor, loom_store_editor, G_TYPE_OBJECT)

enum {
  STORE_ERROR,
  EDITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
loom_store_editor_default_init (LoomStoreEditorInterface *iface)
{
  /**
   * LoomStoreEditor::store-error:
   * @error: what failed, in a sentence for the writer
   *
   * Saving through the store failed; the writer's edits stay in the widget.
   */
  signals[STORE_ERROR] = g_signal_new ("store-error", G_TYPE_FROM_INTERFACE (iface),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * LoomStoreEditor::edited:
   * @item: the scene or character whose text was saved
   * @property: which text: "outline", "name", "traits" or "backstory"
   * @before: the text before the edit
   *
   * An edit was saved; the window's undo puts @before back.
   */
  signals[EDITED] = g_signal_new ("edited", G_TYPE_FROM_INTERFACE (iface),
                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 3, G_TYPE_OBJECT, G_TYPE_STRING, G_TYPE_STRING);
}

void
loom_store_editor_emit_error (LoomStoreEditor *self,
                              const GError    *error)
{
  g_return_if_fail (LOOM_IS_STORE_EDITOR (self));
  g_return_if_fail (error != NULL);

  g_signal_emit (self, signals[STORE_ERROR], 0, error);
}

void
loom_store_editor_emit_edited (LoomStoreEditor *self,
                               GObject         *item,
                               const char      *property,
                               const char      *before)
{
  g_return_if_fail (LOOM_IS_STORE_EDITOR (self));
  g_return_if_fail (G_IS_OBJECT (item));
  g_return_if_fail (property != NULL);

  g_signal_emit (self, signals[EDITED], 0, item, property, before);
}
