/* loom-window-focus.c: moving between the window's regions with the keyboard (issue 14)
 *
 * Tab moves within a region and into the next one, but the prose view keeps Tab for the text
 * (Ctrl+Tab leaves it, as in every GtkTextView) and the sidebar's list walks its rows with the
 * arrows: F6 and Shift+F6 go straight to the next or the previous region, as in Files and Text
 * Editor — the sidebar, the editor, the character panel and the header, whichever are on screen.
 * F8 takes the character panel's edge, to resize the panel with the arrows, as it takes a
 * GtkPaned's handle.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-window-focus"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-util.h"
#include "loom-window-private.h"

typedef enum {
  REGION_SIDEBAR,
  REGION_EDITOR,
  REGION_CHARACTERS,
  REGION_HEADER,
  N_REGIONS
} Region;

static GtkWidget *
region_widget (LoomWindow *self,
               Region      region)
{
  switch (region)
    {
    case REGION_SIDEBAR:
      return _loom_window_get_left_pane (self);
    case REGION_EDITOR:
      return GTK_WIDGET (self->editor);
    case REGION_CHARACTERS:
      return GTK_WIDGET (self->character_panel);
    case REGION_HEADER:
    case N_REGIONS:
    default:
      return GTK_WIDGET (self->story_button);
    }
}

/* The header counts from its first control, the story menu, but holds the others too. */
static gboolean
region_holds (LoomWindow *self,
              Region      region,
              GtkWidget  *focus)
{
  GtkWidget *widget = region == REGION_HEADER
                        ? gtk_widget_get_ancestor (GTK_WIDGET (self->story_button),
                                                   ADW_TYPE_HEADER_BAR)
                        : region_widget (self, region);

  return focus != NULL && widget != NULL &&
         (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Puts the focus in REGION: the editor's prose where there is a scene, else the region's first
 * control that takes it. */
static gboolean
focus_region (LoomWindow *self,
              Region      region)
{
  GtkWidget *widget = region_widget (self, region);

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (region == REGION_EDITOR)
    {
      GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (self->editor));

      if (prose != NULL && gtk_widget_get_mapped (prose) && gtk_widget_grab_focus (prose))
        return TRUE;
    }
  if (region == REGION_SIDEBAR || region == REGION_HEADER)
    return gtk_widget_grab_focus (widget);
  return gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD);
}

static void
focus_region_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  int step = g_str_equal (action_name, "win.focus-next-region") ? 1 : N_REGIONS - 1;
  Region current = REGION_HEADER;

  for (Region region = 0; region < N_REGIONS; region++)
    if (region_holds (self, region, focus))
      current = region;

  /* Forward from the header (or from nowhere) comes the sidebar; regions off screen (folded,
   * the panel closed) are passed over. */
  for (int i = 1; i <= N_REGIONS; i++)
    if (focus_region (self, (current + i * step) % N_REGIONS))
      {
        /* GTK shows the focus after Tab and the arrows, not after a grab: show where it went. */
        gtk_window_set_focus_visible (GTK_WINDOW (self), TRUE);
        return;
      }
}

static void
resize_characters_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);

  /* The panel closed or folded away has no edge on screen to move. */
  if (loom_side_pane_focus_handle (self->side_pane))
    gtk_window_set_focus_visible (GTK_WINDOW (self), TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* The shortcuts window                                                                       */

/* How many columns GtkShortcutsSection makes of groups of HEIGHTS lines, LINES a column: it
 * fills a column in order, and starts the next where a group would overflow it. */
static guint
columns_needed (GArray *heights,
                guint   lines)
{
  guint columns = 0, used = 0;

  for (guint i = 0; i < heights->len; i++)
    {
      guint height = g_array_index (heights, guint, i);

      if (columns == 0 || used + height > lines)
        {
          columns++;
          used = 0;
        }
      used += height;
    }
  return columns;
}

static void
collect_groups (GtkWidget *widget,
                GArray    *heights)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      guint height;

      if (!GTK_IS_SHORTCUTS_GROUP (child))
        {
          collect_groups (child, heights);
          continue;
        }
      g_object_get (child, "height", &height, NULL);
      g_array_append_val (heights, height);
    }
}

/* SECTION with columns tall enough for all its groups on one page: no group split, and at
 * most two columns. */
static void
fit_section (GtkWidget *section)
{
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (guint));
  guint total = 0, lines = 0;

  collect_groups (section, heights);
  for (guint i = 0; i < heights->len; i++)
    {
      total += g_array_index (heights, guint, i);
      lines = MAX (lines, g_array_index (heights, guint, i));
    }
  lines = MAX (lines, (total + 1) / 2);
  while (columns_needed (heights, lines) > 2)
    lines++;
  g_object_set (section, "max-height", lines, NULL);
}

static void
fit_sections (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SHORTCUTS_SECTION (child))
        fit_section (child);
      else
        fit_sections (child);
    }
}

/* GtkShortcutsSection lays its groups out in columns of max-height lines, two columns a page,
 * and from a second page on shows a switcher of numbered buttons, whose labels GTK 4.8
 * measures -4 px wide: a warning at every map. A max-height fixed by hand holds only until
 * the next shortcut is added, so it is counted from the groups: every shortcut on one page. */
void
_loom_window_fit_help_overlay (GtkWindow *overlay)
{
  g_return_if_fail (GTK_IS_SHORTCUTS_WINDOW (overlay));

  fit_sections (GTK_WIDGET (overlay));
  /* Its search, its search button and its menu of sections have no name in GTK 4.8. */
  loom_ui_name_internal_controls (GTK_WIDGET (overlay), _("Search Shortcuts"), NULL);
}

/* The edge's name, for a screen reader: the pane does not know what it holds. */
void
_loom_window_focus_init (LoomWindow *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (loom_side_pane_get_handle (self->side_pane)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Character Panel Width"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Left and Right change the width; Return keeps it, Escape "
                                    "takes it back"),
                                  -1);
}

void
_loom_window_class_focus_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.focus-next-region", NULL,
                                   focus_region_action);
  gtk_widget_class_install_action (widget_class, "win.focus-previous-region", NULL,
                                   focus_region_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.focus-next-region",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, GDK_SHIFT_MASK,
                                       "win.focus-previous-region", NULL);
  gtk_widget_class_install_action (widget_class, "win.resize-characters", NULL,
                                   resize_characters_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "win.resize-characters",
                                       NULL);
}
