/* loom-sidebar-row.c: one chapter or scene in the story sidebar
 *
 * Rows are recycled by the list view: everything bind does (set_list_row with a row), unbind
 * undoes (set_list_row with NULL), and the row follows its item's notify signals live.
 *
 * Unlike the other widgets this one is built in code, not from a template: GTK 4.8's list
 * view keeps up to 200 rows alive, so a row's cost is paid 200 times at start-up. The spinner
 * and the "queued" mark are made the first time a row needs them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-sidebar-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-generation-util.h"
#include "loom-scene.h"
#include "loom-sidebar-row.h"

struct _LoomSidebarRow
{
  GtkWidget        parent_instance;

  /* children */
  GtkTreeExpander *expander;
  GtkLabel        *number_label;
  GtkLabel        *title_label;
  GtkLabel        *words_label;
  GtkImage        *status_image;
  GtkSpinner      *spinner;       /* made when a scene is first seen generating */
  GtkLabel        *queued_label;  /* made when a scene is first seen queued */
  const char      *status_shown;
  GtkWidget       *popover;       /* the row's menu while it is open */

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


static void
update_number (LoomSidebarRow *self,
               guint           number)
{
  char text[16];

  g_snprintf (text, sizeof text, "%u", number);
  loom_ui_set_label (self->number_label, text);
}

static void
update_words (LoomSidebarRow *self,
              guint           words)
{
  /* Grouped as the locale groups thousands. */
  g_autofree char *text = g_strdup_printf ("%'u", words);
  g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word",
                                                           "%u words", words), words);

  loom_ui_set_label (self->words_label, text);
  loom_ui_set_tooltip (GTK_WIDGET (self->words_label), tooltip);
}

static void
update_title (LoomSidebarRow *self,
              const char     *title,
              const char     *css_class)
{
  static const char *const classes[] = { "dim-label", "heading", NULL };

  loom_ui_set_label (self->title_label, title);
  loom_ui_set_css_class_among (GTK_WIDGET (self->title_label), classes, css_class);
}

/* Shows one of: nothing, the status icon, the spinner or the "queued" mark. */
static void
show_status (LoomSidebarRow *self,
             const char     *what)
{
  gboolean spinning = g_strcmp0 (what, "generating") == 0;
  gboolean queued = g_strcmp0 (what, "queued") == 0;

  if (spinning && self->spinner == NULL)
    {
      self->spinner = GTK_SPINNER (gtk_spinner_new ());
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->spinner), _("Being drafted"));
      gtk_widget_insert_before (GTK_WIDGET (self->spinner),
                                gtk_widget_get_parent (GTK_WIDGET (self->status_image)), NULL);
    }
  if (queued && self->queued_label == NULL)
    {
      /* TRANSLATORS: the mark of a scene waiting for its turn to be drafted */
      self->queued_label = GTK_LABEL (gtk_label_new (C_("scene status", "queued")));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->queued_label),
                                   _("Waiting for its turn to be drafted"));
      gtk_widget_add_css_class (GTK_WIDGET (self->queued_label), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (self->queued_label), "queued-mark");
      gtk_widget_insert_before (GTK_WIDGET (self->queued_label),
                                gtk_widget_get_parent (GTK_WIDGET (self->status_image)), NULL);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->status_image), g_strcmp0 (what, "icon") == 0);
  if (self->spinner != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), spinning);
      gtk_spinner_set_spinning (self->spinner, spinning);
    }
  if (self->queued_label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->queued_label), queued);
  self->status_shown = what;
}

static void
update_scene_title (LoomSidebarRow *self,
                    LoomScene      *scene)
{
  g_autofree char *start = loom_scene_dup_title (scene);

  if (start != NULL)
    update_title (self, start, NULL);
  else
    update_title (self, _("Scene without an outline"), "dim-label");
}

static void
update_scene_status (LoomSidebarRow *self,
                     LoomScene      *scene)
{
  static const char *const classes[] = { "error", "success", "dim-label", "warning", NULL };
  LoomSceneStatus status = loom_scene_get_status (scene);
  const char *icon = NULL;
  const char *tooltip = NULL;
  const char *css_class = NULL;
  g_autofree char *stale = NULL;

  if (status == LOOM_SCENE_STATUS_GENERATING)
    {
      show_status (self, "generating");
      return;
    }
  if (loom_scene_get_queued (scene))
    {
      show_status (self, "queued");
      return;
    }

  switch (status)
    {
    case LOOM_SCENE_STATUS_COMPLETE:
      /* A generated scene whose inputs changed since: the mark says which. */
      stale = loom_generation_describe_stale_inputs (loom_scene_get_stale_inputs (scene));
      icon = stale ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
      tooltip = stale ? stale : _("Complete");
      css_class = stale ? "warning" : "success";
      break;
    case LOOM_SCENE_STATUS_ERROR:
      icon = "dialog-error-symbolic";
      tooltip = loom_scene_get_error_message (scene);
      if (tooltip == NULL || *tooltip == '\0')
        tooltip = _("Drafting failed");
      css_class = "error";
      break;
    case LOOM_SCENE_STATUS_DRAFT:
    default:
      icon = "document-edit-symbolic";
      tooltip = _("Draft");
      css_class = "dim-label";
      break;
    }

  loom_ui_set_css_class_among (GTK_WIDGET (self->status_image), classes, css_class);
  loom_ui_set_icon_name (self->status_image, icon);
  loom_ui_set_tooltip (GTK_WIDGET (self->status_image), tooltip);
  show_status (self, "icon");
}

static void
update_scene (LoomSidebarRow *self,
              LoomScene      *scene)
{
  update_number (self, loom_scene_get_number (scene));
  update_scene_title (self, scene);
  update_words (self, loom_scene_get_word_count (scene));
  update_scene_status (self, scene);
}

static void
update_chapter_title (LoomSidebarRow *self,
                      LoomChapter    *chapter)
{
  const char *title = loom_chapter_get_title (chapter);

  update_title (self, title && *title ? title : _("Untitled Chapter"), "heading");
}

static void
update_chapter (LoomSidebarRow *self,
                LoomChapter    *chapter)
{
  update_number (self, loom_chapter_get_number (chapter));
  update_chapter_title (self, chapter);
  update_words (self, loom_chapter_get_word_count (chapter));
  show_status (self, "none");
}

/* What a screen reader says for the row: its icons and numbers in words ("Scene 2: Morning in
 * the harbour, 133 words, Complete"), on the list item that takes the focus as well as here. */
static void
update_accessible (LoomSidebarRow *self)
{
  const char *number = gtk_label_get_label (self->number_label);
  const char *title = gtk_label_get_label (self->title_label);
  const char *words = gtk_widget_get_tooltip_text (GTK_WIDGET (self->words_label));
  const char *status = NULL;
  g_autofree char *owned = NULL;
  g_autofree char *label = NULL;
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (self));

  if (LOOM_IS_SCENE (self->item))
    {
      if (g_strcmp0 (self->status_shown, "icon") == 0 &&
          loom_scene_get_status (LOOM_SCENE (self->item)) == LOOM_SCENE_STATUS_ERROR)
        /* TRANSLATORS: %s is the error message */
        status = owned = g_strdup_printf (_("Drafting failed: %s"),
                                          gtk_widget_get_tooltip_text (GTK_WIDGET (self->status_image)));
      else if (g_strcmp0 (self->status_shown, "icon") == 0)
        status = gtk_widget_get_tooltip_text (GTK_WIDGET (self->status_image));
      else if (g_strcmp0 (self->status_shown, "generating") == 0)
        status = _("Being drafted");
      else if (g_strcmp0 (self->status_shown, "queued") == 0)
        status = _("Waiting for its turn to be drafted");
      /* TRANSLATORS: a scene row as a screen reader says it: its number, the start of its
       * outline, its word count ("133 words") and its status ("Complete") */
      label = g_strdup_printf (_("Scene %s: %s, %s, %s"), number, title, words ? words : "",
                               status ? status : "");
    }
  else if (LOOM_IS_CHAPTER (self->item))
    /* TRANSLATORS: a chapter row as a screen reader says it: number, title, "N words" */
    label = g_strdup_printf (_("Chapter %s: %s, %s"), number, title, words ? words : "");
  else
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (item != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
}

static void
loom_sidebar_row_update (LoomSidebarRow *self)
{
  if (LOOM_IS_SCENE (self->item))
    update_scene (self, LOOM_SCENE (self->item));
  else if (LOOM_IS_CHAPTER (self->item))
    update_chapter (self, LOOM_CHAPTER (self->item));
  update_accessible (self);
}

/* Each property updates only what shows it: a scene being drafted notifies many times a
 * second, and its prose does not show here at all. */
static void
on_item_notify (LoomSidebarRow *self,
                GParamSpec     *pspec,
                GObject        *item)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "number"))
    update_number (self, LOOM_IS_SCENE (item) ? loom_scene_get_number (LOOM_SCENE (item))
                                              : loom_chapter_get_number (LOOM_CHAPTER (item)));
  else if (g_str_equal (name, "word-count"))
    update_words (self, LOOM_IS_SCENE (item) ? loom_scene_get_word_count (LOOM_SCENE (item))
                                             : loom_chapter_get_word_count (LOOM_CHAPTER (item)));
  else if (LOOM_IS_SCENE (item) && g_str_equal (name, "outline"))
    update_scene_title (self, LOOM_SCENE (item));
  else if (LOOM_IS_SCENE (item) &&
           (g_str_equal (name, "status") || g_str_equal (name, "queued") ||
            g_str_equal (name, "stale-inputs") || g_str_equal (name, "error-message")))
    update_scene_status (self, LOOM_SCENE (item));
  else if (LOOM_IS_CHAPTER (item) && g_str_equal (name, "title"))
    update_chapter_title (self, LOOM_CHAPTER (item));
  else
    return;
  update_accessible (self);
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
      show_status (self, "none");
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
  const char *icon;

  g_return_val_if_fail (LOOM_IS_SIDEBAR_ROW (self), NULL);

  if (g_strcmp0 (self->status_shown, "icon") != 0)
    return self->status_shown;
  icon = gtk_image_get_icon_name (self->status_image);
  if (g_strcmp0 (icon, "emblem-ok-symbolic") == 0)
    return "complete";
  if (g_strcmp0 (icon, "dialog-error-symbolic") == 0)
    return "error";
  if (g_strcmp0 (icon, "dialog-warning-symbolic") == 0)
    return "outdated";
  return "draft";
}

/* The row's menu. A popover's parent has to present it when it is allocated, which a layout
 * manager would not do: hence measure and size_allocate below. */
static gboolean
drop_closed_popover (gpointer data)
{
  LoomSidebarRow *self = data;

  if (self->popover != NULL && !gtk_widget_get_visible (self->popover))
    g_clear_pointer (&self->popover, gtk_widget_unparent);
  return G_SOURCE_REMOVE;
}

static void
on_popover_closed (LoomSidebarRow *self)
{
  /* The menu's action runs after "closed": unparent once it has. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, drop_closed_popover, g_object_ref (self),
                   g_object_unref);
}

void
loom_sidebar_row_popup_menu (LoomSidebarRow *self,
                             GMenuModel     *menu,
                             double          x,
                             double          y)
{
  g_return_if_fail (LOOM_IS_SIDEBAR_ROW (self));

  g_clear_pointer (&self->popover, gtk_widget_unparent);

  self->popover = gtk_popover_menu_new_from_model (menu);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &(GdkRectangle) { x, y, 1, 1 });
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (on_popover_closed), self,
                           G_CONNECT_SWAPPED);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
loom_sidebar_row_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  LoomSidebarRow *self = LOOM_SIDEBAR_ROW (widget);

  gtk_widget_measure (GTK_WIDGET (self->expander), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
loom_sidebar_row_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  LoomSidebarRow *self = LOOM_SIDEBAR_ROW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->expander), width, height, baseline, NULL);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
loom_sidebar_row_dispose (GObject *object)
{
  LoomSidebarRow *self = (LoomSidebarRow *) object;

  loom_sidebar_row_set_list_row (self, NULL);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->expander, gtk_widget_unparent);

  G_OBJECT_CLASS (loom_sidebar_row_parent_class)->dispose (object);
}

static void
loom_sidebar_row_class_init (LoomSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_sidebar_row_dispose;

  widget_class->measure = loom_sidebar_row_measure;
  widget_class->size_allocate = loom_sidebar_row_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "loomsidebarrow");
}

static GtkLabel *
add_label (GtkWidget  *box,
           float       xalign,
           const char *class1,
           const char *class2)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (class1 != NULL)
    gtk_widget_add_css_class (label, class1);
  if (class2 != NULL)
    gtk_widget_add_css_class (label, class2);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static void
loom_sidebar_row_init (LoomSidebarRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);

  self->number_label = add_label (box, 1, "numeric", "dim-label");
  gtk_label_set_width_chars (self->number_label, 2);

  self->title_label = add_label (box, 0, NULL, NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title_label), TRUE);
  gtk_label_set_ellipsize (self->title_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->title_label, TRUE);
  gtk_label_set_max_width_chars (self->title_label, 24);

  self->words_label = add_label (box, 1, "numeric", "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->words_label), "caption");

  self->status_image = GTK_IMAGE (gtk_image_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_image));

  self->expander = GTK_TREE_EXPANDER (gtk_tree_expander_new ());
  gtk_tree_expander_set_child (self->expander, box);
  gtk_widget_set_parent (GTK_WIDGET (self->expander), GTK_WIDGET (self));

  show_status (self, "none");
}
