/* loom-sidebar-row.c: one chapter or scene in the story sidebar
 *
 * Rows are recycled by the list view: everything bind does (set_list_row with a row), unbind
 * undoes (set_list_row with NULL), and the row follows its item's notify signals live.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-sidebar-row.h"

struct _LoomSidebarRow
{
  GtkWidget        parent_instance;

  /* template children */
  GtkTreeExpander *expander;
  GtkLabel        *number_label;
  GtkLabel        *title_label;
  GtkLabel        *words_label;
  GtkStack        *status_stack;
  GtkImage        *status_image;
  GtkSpinner      *spinner;

  /* owned */
  GtkTreeListRow  *list_row;
  GObject         *item;
};

G_DEFINE_FINAL_TYPE (LoomSidebarRow, loom_sidebar_row, GTK_TYPE_WIDGET)

LoomSidebarRow *
loom_sidebar_row_new (void)
{
  return g_object_new (LOOM_TYPE_SIDEBAR_ROW, NULL);
}

/* The first line of an outline, as a row shows it. */
static char *
outline_start (const char *outline)
{
  const char *end;

  if (outline == NULL)
    return NULL;
  while (g_ascii_isspace (*outline))
    outline++;
  if (*outline == '\0')
    return NULL;
  end = strchr (outline, '\n');
  return end ? g_strndup (outline, end - outline) : g_strdup (outline);
}

static void
update_words (LoomSidebarRow *self,
              guint           words)
{
  g_autofree char *text = g_strdup_printf ("%u", words);
  g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word",
                                                           "%u words", words), words);

  gtk_label_set_label (self->words_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->words_label), tooltip);
}

static void
update_scene (LoomSidebarRow *self,
              LoomScene      *scene)
{
  g_autofree char *number = g_strdup_printf ("%u", loom_scene_get_number (scene));
  g_autofree char *start = outline_start (loom_scene_get_outline (scene));
  LoomSceneStatus status = loom_scene_get_status (scene);
  const char *icon = NULL;
  const char *tooltip = NULL;

  gtk_label_set_label (self->number_label, number);
  gtk_label_set_label (self->title_label, start ? start : _("Scene without an outline"));
  if (start)
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "heading");
  update_words (self, loom_scene_get_word_count (scene));

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), "dim-label");

  if (status == LOOM_SCENE_STATUS_GENERATING)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->status_stack, "generating");
      return;
    }
  gtk_spinner_stop (self->spinner);
  if (loom_scene_get_queued (scene))
    {
      gtk_stack_set_visible_child_name (self->status_stack, "queued");
      return;
    }

  switch (status)
    {
    case LOOM_SCENE_STATUS_COMPLETE:
      icon = "emblem-ok-symbolic";
      tooltip = _("Complete");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_image), "success");
      break;
    case LOOM_SCENE_STATUS_ERROR:
      icon = "dialog-error-symbolic";
      tooltip = loom_scene_get_error_message (scene);
      if (tooltip == NULL || *tooltip == '\0')
        tooltip = _("Drafting failed");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_image), "error");
      break;
    case LOOM_SCENE_STATUS_DRAFT:
    default:
      icon = "document-edit-symbolic";
      tooltip = _("Draft");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_image), "dim-label");
      break;
    }

  gtk_image_set_from_icon_name (self->status_image, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_image), tooltip);
  gtk_stack_set_visible_child_name (self->status_stack, "icon");
}

static void
update_chapter (LoomSidebarRow *self,
                LoomChapter    *chapter)
{
  g_autofree char *number = g_strdup_printf ("%u", loom_chapter_get_number (chapter));
  const char *title = loom_chapter_get_title (chapter);

  gtk_label_set_label (self->number_label, number);
  gtk_label_set_label (self->title_label, title && *title ? title : _("Untitled Chapter"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  update_words (self, loom_chapter_get_word_count (chapter));
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->status_stack, "none");
}

static void
loom_sidebar_row_update (LoomSidebarRow *self)
{
  if (LOOM_IS_SCENE (self->item))
    update_scene (self, LOOM_SCENE (self->item));
  else if (LOOM_IS_CHAPTER (self->item))
    update_chapter (self, LOOM_CHAPTER (self->item));
}

static void
on_item_notify (LoomSidebarRow *self,
                GParamSpec     *pspec,
                GObject        *item)
{
  /* The prose itself does not show here; its word count does. */
  if (g_strcmp0 (pspec->name, "prose") == 0 || g_strcmp0 (pspec->name, "scenes") == 0)
    return;
  loom_sidebar_row_update (self);
}

GtkTreeListRow *
loom_sidebar_row_get_list_row (LoomSidebarRow *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR_ROW (self), NULL);
  return self->list_row;
}

GObject *
loom_sidebar_row_get_item (LoomSidebarRow *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR_ROW (self), NULL);
  return self->item;
}

void
loom_sidebar_row_set_list_row (LoomSidebarRow *self,
                               GtkTreeListRow *list_row)
{
  g_return_if_fail (LOOM_IS_SIDEBAR_ROW (self));

  if (self->list_row == list_row)
    return;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_notify, self);
  g_clear_object (&self->item);
  g_set_object (&self->list_row, list_row);
  gtk_tree_expander_set_list_row (self->expander, list_row);
  loom_sidebar_row_set_drop (self, LOOM_DROP_NONE);

  if (list_row == NULL)
    {
      gtk_spinner_stop (self->spinner);
      return;
    }

  self->item = gtk_tree_list_row_get_item (list_row);
  g_signal_connect_object (self->item, "notify", G_CALLBACK (on_item_notify), self,
                           G_CONNECT_SWAPPED);
  if (LOOM_IS_CHAPTER (self->item))
    gtk_widget_add_css_class (GTK_WIDGET (self), "chapter-row");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "chapter-row");
  loom_sidebar_row_update (self);
}

void
loom_sidebar_row_set_drop (LoomSidebarRow   *self,
                           LoomDropPosition  position)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_remove_css_class (widget, "drop-before");
  gtk_widget_remove_css_class (widget, "drop-after");
  gtk_widget_remove_css_class (widget, "drop-into");
  if (position == LOOM_DROP_BEFORE)
    gtk_widget_add_css_class (widget, "drop-before");
  else if (position == LOOM_DROP_AFTER)
    gtk_widget_add_css_class (widget, "drop-after");
  else if (position == LOOM_DROP_INTO)
    gtk_widget_add_css_class (widget, "drop-into");
}

const char *
loom_sidebar_row_get_title_text (LoomSidebarRow *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR_ROW (self), NULL);
  return gtk_label_get_label (self->title_label);
}

/* "none", "draft", "complete", "error" (the icon's meaning), "generating" or "queued". */
const char *
loom_sidebar_row_get_status_shown (LoomSidebarRow *self)
{
  const char *page;
  const char *icon;

  g_return_val_if_fail (LOOM_IS_SIDEBAR_ROW (self), NULL);

  page = gtk_stack_get_visible_child_name (self->status_stack);
  if (g_strcmp0 (page, "icon") != 0)
    return page;
  icon = gtk_image_get_icon_name (self->status_image);
  if (g_strcmp0 (icon, "emblem-ok-symbolic") == 0)
    return "complete";
  if (g_strcmp0 (icon, "dialog-error-symbolic") == 0)
    return "error";
  return "draft";
}

static void
loom_sidebar_row_dispose (GObject *object)
{
  LoomSidebarRow *self = (LoomSidebarRow *) object;

  loom_sidebar_row_set_list_row (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_SIDEBAR_ROW);

  G_OBJECT_CLASS (loom_sidebar_row_parent_class)->dispose (object);
}

static void
loom_sidebar_row_class_init (LoomSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_sidebar_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-sidebar-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomSidebarRow, expander);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebarRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebarRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebarRow, words_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebarRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebarRow, status_image);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebarRow, spinner);
  gtk_widget_class_set_css_name (widget_class, "loomsidebarrow");
}

static void
loom_sidebar_row_init (LoomSidebarRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
