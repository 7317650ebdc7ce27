/* loom-trash-dialog.c
 *
 * Lists the library's trash, the most recent first. Restore puts one item back through the
 * window, which shows it where it came back; Empty Trash asks first, since it cannot be undone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-trash-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-deletion.h"
#include "loom-generation-util.h"
#include "loom-store.h"
#include "loom-trash-dialog.h"
#include "loom-window-private.h"

struct _LoomTrashDialog
{
  AdwWindow    parent_instance;

  /* template children */
  GtkStack    *stack;
  GtkListBox  *list_box;

  /* borrowed */
  LoomWindow  *window;  /* weak */

  /* owned */
  GListModel  *items;
};

G_DEFINE_FINAL_TYPE (LoomTrashDialog, loom_trash_dialog, ADW_TYPE_WINDOW)

static char *
row_title (LoomDeletion *deletion)
{
  const char *title = loom_deletion_get_title (deletion);

  switch (loom_deletion_get_kind (deletion))
    {
    case LOOM_TRASH_STORY:
      return g_strdup_printf (_("Story “%s”"), title);
    case LOOM_TRASH_CHAPTER:
      return g_strdup_printf (_("Chapter “%s”"), title);
    case LOOM_TRASH_SCENE:
      /* Translators: a scene in the Trash, by its outline */
      return g_strdup_printf (_("Scene: %s"), *title != '\0' ? title : _("(no outline)"));
    case LOOM_TRASH_ENTRY:
      /* Translators: a story bible entry (a place, an object, a group, lore) in the Trash */
      return g_strdup_printf (_("Entry “%s”"), title);
    case LOOM_TRASH_CHARACTER:
    default:
      return g_strdup_printf (_("Character “%s”"), title);
    }
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  LoomDeletion *deletion = LOOM_DELETION (item);
  g_autoptr(GDateTime) when =
    g_date_time_new_from_unix_local (loom_deletion_get_deleted_at (deletion) / 1000);
  g_autofree char *date = g_date_time_format (when, _("%-d %B, %H:%M"));
  g_autofree char *contents = loom_deletion_describe_contents (deletion);
  g_autofree char *title = row_title (deletion);
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  /* Translators: “From “The Salt Road” · 3 scenes · 1204 words — deleted 2 December, 07:15” */
  g_autofree char *subtitle = g_strdup_printf (_("%s — deleted %s"), contents, date);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle, -1);
  g_autofree char *restore_label = g_strdup_printf (_("Restore %s"), title);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "trash.restore");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_int64 (loom_deletion_get_id (deletion)));
  gtk_widget_set_tooltip_text (button, _("Put it back where it was"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  restore_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
refresh (LoomTrashDialog *self)
{
  g_autoptr(GError) error = NULL;
  LoomStore *store = self->window != NULL ? loom_window_get_store (self->window) : NULL;
  g_autoptr(GListModel) items = NULL;
  guint n;

  if (store != NULL)
    items = loom_store_list_trash (store, &error);
  if (items == NULL)
    {
      if (error != NULL && self->window != NULL)
        loom_window_show_error (self->window, error);
      items = G_LIST_MODEL (g_list_store_new (LOOM_TYPE_DELETION));
    }

  g_set_object (&self->items, items);
  gtk_list_box_bind_model (self->list_box, self->items, create_row, self, NULL);
  n = g_list_model_get_n_items (self->items);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trash.empty", n > 0);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LoomTrashDialog *self = LOOM_TRASH_DIALOG (widget);

  if (self->window == NULL)
    return;
  _loom_window_restore_deletion (self->window, g_variant_get_int64 (parameter));
  refresh (self);
}

static void
on_empty_response (AdwMessageDialog *dialog,
                   const char       *response,
                   LoomTrashDialog  *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "empty") != 0 || self->window == NULL)
    return;
  if (!loom_store_empty_trash (loom_window_get_store (self->window), &error))
    loom_window_show_error (self->window, error);
  refresh (self);
}

static void
empty_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LoomTrashDialog *self = LOOM_TRASH_DIALOG (widget);
  guint n = g_list_model_get_n_items (self->items);
  AdwMessageDialog *dialog = loom_ui_question_new (GTK_WINDOW (self), _("Empty the Trash?"),
                                                   NULL, NULL, "empty", _("_Empty Trash"),
                                                   ADW_RESPONSE_DESTRUCTIVE);

  adw_message_dialog_format_body (dialog,
                                  ngettext ("The item in the Trash will be deleted for good, "
                                            "with everything that went with it. This cannot "
                                            "be undone.",
                                            "All %u items in the Trash will be deleted for good, "
                                            "with everything that went with them. This cannot "
                                            "be undone.", n), n);
  loom_ui_question_ask (dialog, NULL, NULL, G_CALLBACK (on_empty_response), self);
}

static void
loom_trash_dialog_dispose (GObject *object)
{
  LoomTrashDialog *self = LOOM_TRASH_DIALOG (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->items);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_TRASH_DIALOG);

  G_OBJECT_CLASS (loom_trash_dialog_parent_class)->dispose (object);
}

static void
loom_trash_dialog_class_init (LoomTrashDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_trash_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/"
                                               "loom-trash-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomTrashDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomTrashDialog, list_box);

  gtk_widget_class_install_action (widget_class, "trash.restore", "x", restore_action);
  gtk_widget_class_install_action (widget_class, "trash.empty", NULL, empty_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
loom_trash_dialog_init (LoomTrashDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LoomTrashDialog *
loom_trash_dialog_new (LoomWindow *window)
{
  LoomTrashDialog *self;

  g_return_val_if_fail (LOOM_IS_WINDOW (window), NULL);

  self = g_object_new (LOOM_TYPE_TRASH_DIALOG, "transient-for", window, NULL);
  g_set_weak_pointer (&self->window, window);
  refresh (self);
  return self;
}

/* Returns: (transfer none): the #LoomDeletion listed, in order. */
GListModel *
loom_trash_dialog_get_items (LoomTrashDialog *self)
{
  g_return_val_if_fail (LOOM_IS_TRASH_DIALOG (self), NULL);
  return self->items;
}
