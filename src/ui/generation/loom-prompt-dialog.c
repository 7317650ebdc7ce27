/* loom-prompt-dialog.c: the exact messages a scene's generation sends, and their size
 *
 * Read-only: each message under its role, as the model receives it. The copy button puts the
 * messages on the clipboard as the JSON the request carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-prompt-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-prompt-dialog.h"
#include "loom-scene.h"

struct _LoomPromptDialog
{
  AdwWindow        parent_instance;

  /* template children */
  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkTextView     *text_view;

  /* owned */
  LoomPrompt      *prompt;
};

G_DEFINE_FINAL_TYPE (LoomPromptDialog, loom_prompt_dialog, ADW_TYPE_WINDOW)

static const char *
role_label (const char *role)
{
  if (g_strcmp0 (role, "system") == 0)
    return C_("message role", "System");
  if (g_strcmp0 (role, "user") == 0)
    return C_("message role", "User");
  if (g_strcmp0 (role, "assistant") == 0)
    return C_("message role", "Assistant");
  return role;
}

static void
fill (LoomPromptDialog *self,
      const char       *model)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  JsonArray *messages = loom_prompt_get_messages (self->prompt);
  LoomScene *scene = loom_prompt_get_scene (self->prompt);
  guint tokens = loom_prompt_get_token_estimate (self->prompt);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *estimate = NULL;
  GtkTextIter end;

  gtk_text_buffer_create_tag (buffer, "role", "weight", PANGO_WEIGHT_BOLD,
                              "scale", PANGO_SCALE_LARGE, "pixels-above-lines", 12,
                              "pixels-below-lines", 6, NULL);
  gtk_text_buffer_create_tag (buffer, "content", "family", "monospace", NULL);

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      const char *role = json_object_get_string_member_with_default (message, "role", "");
      const char *content = json_object_get_string_member_with_default (message, "content", "");

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (i > 0)
        gtk_text_buffer_insert (buffer, &end, "\n\n", -1);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, role_label (role), -1, "role", NULL);
      gtk_text_buffer_insert (buffer, &end, "\n", -1);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, content, -1, "content", NULL);
    }

  /* TRANSLATORS: the prompt dialog's title, e.g. "Prompt for Chapter 2 · Scene 3" */
  title = g_strdup_printf (_("Prompt for Chapter %u · Scene %u"),
                           loom_chapter_get_number (loom_scene_get_chapter (scene)),
                           loom_scene_get_number (scene));
  estimate = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u token",
                                           "about %u tokens", tokens), tokens);
  subtitle = model && *model ? g_strdup_printf ("%s · %s", estimate, model)
                             : g_steal_pointer (&estimate);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

LoomPromptDialog *
loom_prompt_dialog_new (LoomPrompt *prompt,
                        const char *model)
{
  LoomPromptDialog *self;

  g_return_val_if_fail (LOOM_IS_PROMPT (prompt), NULL);

  self = g_object_new (LOOM_TYPE_PROMPT_DIALOG, NULL);
  self->prompt = g_object_ref (prompt);
  fill (self, model);
  return self;
}

LoomPrompt *
loom_prompt_dialog_get_prompt (LoomPromptDialog *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT_DIALOG (self), NULL);
  return self->prompt;
}

char *
loom_prompt_dialog_get_text (LoomPromptDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (LOOM_IS_PROMPT_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

const char *
loom_prompt_dialog_get_subtitle (LoomPromptDialog *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT_DIALOG (self), NULL);
  return adw_window_title_get_subtitle (self->window_title);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LoomPromptDialog *self = LOOM_PROMPT_DIALOG (widget);
  g_autofree char *json = loom_prompt_to_json (self->prompt);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), json);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied")));
}

static void
loom_prompt_dialog_dispose (GObject *object)
{
  LoomPromptDialog *self = (LoomPromptDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_PROMPT_DIALOG);
  g_clear_object (&self->prompt);

  G_OBJECT_CLASS (loom_prompt_dialog_parent_class)->dispose (object);
}

static void
loom_prompt_dialog_class_init (LoomPromptDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_prompt_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-prompt-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, text_view);

  gtk_widget_class_install_action (widget_class, "prompt.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
loom_prompt_dialog_init (LoomPromptDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
