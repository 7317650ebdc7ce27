/* loom-prompt-dialog.c: the exact messages a request sends, and their size
 *
 * Each message under its role, as the model receives it. The copy button puts the messages on
 * the clipboard as the JSON the request carries. For a selection action, the instruction of the
 * request not sent yet is editable here: the dialog that sends it follows the "instruction"
 * property and gives back the messages rebuilt with it.
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
  GtkWidget       *instruction_box;
  GtkEntry        *instruction_entry;
  GtkWidget       *parts_expander;
  GtkListBox      *parts_list;

  /* owned */
  LoomPrompt      *prompt;    /* a scene's, or NULL for a selection action's messages */
  JsonArray       *messages;
  char            *model;
};

G_DEFINE_FINAL_TYPE (LoomPromptDialog, loom_prompt_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_INSTRUCTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
show_messages (LoomPromptDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter end;

  gtk_text_buffer_set_text (buffer, "", 0);
  for (guint i = 0; i < json_array_get_length (self->messages); i++)
    {
      JsonObject *message = json_array_get_object_element (self->messages, i);
      const char *role = json_object_get_string_member_with_default (message, "role", "");
      const char *content = json_object_get_string_member_with_default (message, "content", "");

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (i > 0)
        gtk_text_buffer_insert (buffer, &end, "\n\n", -1);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, role_label (role), -1, "role", NULL);
      gtk_text_buffer_insert (buffer, &end, "\n", -1);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, content, -1, "content", NULL);
    }
}

static void
set_titles (LoomPromptDialog *self,
            const char       *title,
            guint             tokens)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *estimate = NULL;

  estimate = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u token",
                                           "about %u tokens", tokens), tokens);
  subtitle = self->model && *self->model ? g_strdup_printf ("%s · %s", estimate, self->model)
                                         : g_steal_pointer (&estimate);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
fill (LoomPromptDialog *self)
{
  LoomScene *scene = loom_prompt_get_scene (self->prompt);
  g_autofree char *title = NULL;

  show_messages (self);
  /* TRANSLATORS: the prompt dialog's title, e.g. "Prompt for Chapter 2 · Scene 3" */
  title = g_strdup_printf (_("Prompt for Chapter %u · Scene %u"),
                           loom_chapter_get_number (loom_scene_get_chapter (scene)),
                           loom_scene_get_number (scene));
  set_titles (self, title, loom_prompt_get_token_estimate (self->prompt));
}

static const char *
part_icon (LoomPromptPartState state)
{
  switch (state)
    {
    case LOOM_PROMPT_PART_INCLUDED:
      return "object-select-symbolic";
    case LOOM_PROMPT_PART_SHORTENED:
      return "view-restore-symbolic";
    case LOOM_PROMPT_PART_LEFT_OUT:
    default:
      return "action-unavailable-symbolic";
    }
}

/* One row per part of what the scene's prompt remembers: included, shortened or left out,
 * and why. */
static void
fill_parts (LoomPromptDialog *self)
{
  GPtrArray *parts = loom_prompt_get_parts (self->prompt);

  for (guint i = 0; i < parts->len; i++)
    {
      const LoomPromptPart *part = g_ptr_array_index (parts, i);
      g_autofree char *state = loom_prompt_part_describe_state (part);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (part_icon (part->state));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), part->label);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), state);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      /* the sentence says it; the icon only repeats it for the eye */
      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      if (part->state == LOOM_PROMPT_PART_LEFT_OUT)
        gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->parts_list, row);
    }
  gtk_widget_set_visible (self->parts_expander, parts->len > 0);
}

LoomPromptDialog *
loom_prompt_dialog_new (LoomPrompt *prompt,
                        const char *model)
{
  LoomPromptDialog *self;

  g_return_val_if_fail (LOOM_IS_PROMPT (prompt), NULL);

  self = g_object_new (LOOM_TYPE_PROMPT_DIALOG, NULL);
  self->prompt = g_object_ref (prompt);
  self->messages = json_array_ref (loom_prompt_get_messages (prompt));
  self->model = g_strdup (model);
  fill (self);
  fill_parts (self);
  return self;
}

/**
 * loom_prompt_dialog_new_for_messages:
 * @messages: the messages a request not sent yet would send
 * @tokens: their estimate with the answer's, in tokens
 * @title: what they ask, e.g. "Prompt for Rewrite"
 * @instruction: (nullable): the request's instruction, shown editable; %NULL for none
 */
LoomPromptDialog *
loom_prompt_dialog_new_for_messages (JsonArray  *messages,
                                     guint       tokens,
                                     const char *title,
                                     const char *model,
                                     const char *instruction)
{
  LoomPromptDialog *self;

  g_return_val_if_fail (messages != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (LOOM_TYPE_PROMPT_DIALOG, "instruction", instruction, NULL);
  self->model = g_strdup (model);
  loom_prompt_dialog_set_messages (self, messages, tokens);
  set_titles (self, title, tokens);
  return self;
}

/* The messages rebuilt, e.g. with the instruction edited. */
void
loom_prompt_dialog_set_messages (LoomPromptDialog *self,
                                 JsonArray        *messages,
                                 guint             tokens)
{
  g_autofree char *title = NULL;

  g_return_if_fail (LOOM_IS_PROMPT_DIALOG (self));
  g_return_if_fail (messages != NULL);

  g_clear_pointer (&self->messages, json_array_unref);
  self->messages = json_array_ref (messages);
  show_messages (self);
  title = g_strdup (adw_window_title_get_title (self->window_title));
  set_titles (self, title, tokens);
}

const char *
loom_prompt_dialog_get_instruction (LoomPromptDialog *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (self->instruction_box))
    return NULL;
  return gtk_editable_get_text (GTK_EDITABLE (self->instruction_entry));
}

void
loom_prompt_dialog_set_instruction (LoomPromptDialog *self,
                                    const char       *instruction)
{
  gboolean was_shown;

  g_return_if_fail (LOOM_IS_PROMPT_DIALOG (self));

  was_shown = gtk_widget_get_visible (self->instruction_box);
  gtk_widget_set_visible (self->instruction_box, instruction != NULL);
  /* A new text notifies through on_instruction_changed () */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->instruction_entry)),
                 instruction != NULL ? instruction : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->instruction_entry),
                           instruction != NULL ? instruction : "");
  else if (was_shown != (instruction != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTRUCTION]);
}

static void
on_instruction_changed (LoomPromptDialog *self)
{
  if (gtk_widget_get_visible (self->instruction_box))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTRUCTION]);
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

/**
 * loom_prompt_dialog_get_parts_text:
 *
 * Returns: (transfer full): the rows of what the prompt remembers as they show, one a line:
 *   "title — subtitle"
 */
char *
loom_prompt_dialog_get_parts_text (LoomPromptDialog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (LOOM_IS_PROMPT_DIALOG (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->parts_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (text, "%s — %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return g_string_free (text, FALSE);
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
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_alloc ();
  g_autofree char *json = NULL;

  json_node_init_array (root, self->messages);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json = json_generator_to_data (generator, NULL);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), json);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied")));
}

static void
loom_prompt_dialog_dispose (GObject *object)
{
  LoomPromptDialog *self = (LoomPromptDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_PROMPT_DIALOG);
  g_clear_object (&self->prompt);
  g_clear_pointer (&self->messages, json_array_unref);

  G_OBJECT_CLASS (loom_prompt_dialog_parent_class)->dispose (object);
}

static void
loom_prompt_dialog_finalize (GObject *object)
{
  LoomPromptDialog *self = (LoomPromptDialog *) object;

  g_free (self->model);

  G_OBJECT_CLASS (loom_prompt_dialog_parent_class)->finalize (object);
}

static void
loom_prompt_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LoomPromptDialog *self = LOOM_PROMPT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_INSTRUCTION:
      g_value_set_string (value, loom_prompt_dialog_get_instruction (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_prompt_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LoomPromptDialog *self = LOOM_PROMPT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_INSTRUCTION:
      loom_prompt_dialog_set_instruction (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_prompt_dialog_class_init (LoomPromptDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_prompt_dialog_dispose;
  object_class->finalize = loom_prompt_dialog_finalize;
  object_class->get_property = loom_prompt_dialog_get_property;
  object_class->set_property = loom_prompt_dialog_set_property;

  /**
   * LoomPromptDialog:instruction: (nullable)
   *
   * The instruction of a request not sent yet, as the writer edits it here; %NULL when the
   * dialog offers none to edit (a scene's prompt).
   */
  properties[PROP_INSTRUCTION] =
    g_param_spec_string ("instruction", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-prompt-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, instruction_box);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, instruction_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, parts_expander);
  gtk_widget_class_bind_template_child (widget_class, LoomPromptDialog, parts_list);
  gtk_widget_class_bind_template_callback (widget_class, on_instruction_changed);

  gtk_widget_class_install_action (widget_class, "prompt.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
loom_prompt_dialog_init (LoomPromptDialog *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "role", "weight", PANGO_WEIGHT_BOLD,
                              "scale", PANGO_SCALE_LARGE, "pixels-above-lines", 12,
                              "pixels-below-lines", 6, NULL);
  gtk_text_buffer_create_tag (buffer, "content", "family", "monospace", NULL);
}
