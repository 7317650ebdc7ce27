/* loom-sidebar.c: the story's chapters and scenes, as a tree
 *
 * The story's chapters (a GListModel) are the root of a GtkTreeListModel whose children are
 * each chapter's scenes, shown by a GtkListView. Drag and drop controllers are added once per
 * row in setup; at event time the row's current item is asked for, since rows are recycled.
 * A drop and the Alt+Up/Alt+Down actions end in one store call each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-generation-util.h"
#include "loom-scene.h"
#include "loom-sidebar.h"
#include "loom-store-editor.h"
#include "loom-store.h"

struct _LoomSidebar
{
  GtkWidget           parent_instance;

  /* template children */
  GtkStack           *stack;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
  GMenuModel         *row_menu;
  GMenu              *generation_section;

  /* owned */
  LoomStory          *story;
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  GObject            *selected_item;
  GObject            *keep_item;    /* selected before rows were removed; see keep_selection */
  guint               keep_source;
  guint               autoscroll_tick;
  double              autoscroll_speed;   /* pixels a frame, negative upwards */
  GdkFrameClock      *refocus_clock;      /* see refocus_after_layout */
  gulong              refocus_handler;

  guint               moving : 1;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (LoomSidebar, loom_sidebar, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (LOOM_TYPE_STORE_EDITOR, NULL))

/* Up to this many scenes every chapter is open; a longer story opens on its first chapter. */
#define SMALL_STORY_SCENES 150

enum {
  PROP_0,
  PROP_STORY,
  PROP_SELECTED_ITEM,
  N_PROPS
};

enum {
  MOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Selection                                                                                  */

static GObject *
item_of_row (gpointer row)
{
  if (!GTK_IS_TREE_LIST_ROW (row))
    return NULL;
  return gtk_tree_list_row_get_item (row);
}

static void
sync_selected_item (LoomSidebar *self)
{
  g_autoptr(GObject) item = NULL;

  if (self->moving)
    return;
  /* A row went that may only be moving: keep_selection_done () decides. */
  if (self->keep_item != NULL)
    return;
  if (self->selection != NULL)
    item = item_of_row (gtk_single_selection_get_selected_item (self->selection));
  if (g_set_object (&self->selected_item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

/* Whether @item is still a chapter or a scene of the story (not deleted). */
static gboolean
item_in_story (LoomSidebar *self,
               GObject     *item)
{
  GListModel *chapters = loom_story_get_chapters (self->story);
  guint position;

  if (LOOM_IS_SCENE (item))
    {
      LoomChapter *chapter = loom_scene_get_chapter (LOOM_SCENE (item));

      return chapter != NULL && loom_ui_list_model_find (chapters, chapter, &position) &&
             loom_ui_list_model_find (loom_chapter_get_scenes (chapter), item, &position);
    }
  return loom_ui_list_model_find (chapters, item, &position);
}

/* A model moves a chapter or a scene by removing its row and inserting it again, which loses
 * the selection (or, with the keyboard in the list, moves it to whatever row took the place)
 * when the selected scene or its chapter is moved by anything but the sidebar's own move:
 * another program, the store, undo. The editor would go blank or jump. So while rows are being
 * removed the selected item is held, and once the model has settled it is selected again if it
 * is still in the story; only a deleted one is let go. */
static gboolean
keep_selection_done (gpointer data)
{
  LoomSidebar *self = data;
  g_autoptr(GObject) item = g_steal_pointer (&self->keep_item);

  self->keep_source = 0;
  if (self->story != NULL && item_in_story (self, item))
    loom_sidebar_select_item (self, item);
  sync_selected_item (self);
  return G_SOURCE_REMOVE;
}

/* Runs before the selection hears of the change. */
static void
keep_selection (LoomSidebar *self,
                guint        position,
                guint        removed,
                guint        added)
{
  if (removed == 0 || self->selected_item == NULL || self->keep_item != NULL || self->moving)
    return;
  self->keep_item = g_object_ref (self->selected_item);
  self->keep_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, keep_selection_done, self, NULL);
}

static void
drop_kept_selection (LoomSidebar *self)
{
  g_clear_handle_id (&self->keep_source, g_source_remove);
  g_clear_object (&self->keep_item);
}

/**
 * loom_sidebar_get_selected_item:
 *
 * Returns: (transfer none) (nullable): the selected #LoomChapter or #LoomScene
 */
GObject *
loom_sidebar_get_selected_item (LoomSidebar *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), NULL);
  return self->selected_item;
}

static gboolean
find_row (LoomSidebar *self,
          GObject     *item,
          guint       *position)
{
  GListModel *model = G_LIST_MODEL (self->tree);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(GObject) row_item = gtk_tree_list_row_get_item (row);

      if (row_item == item)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
stop_refocus (LoomSidebar *self)
{
  if (self->refocus_handler != 0)
    g_signal_handler_disconnect (self->refocus_clock, self->refocus_handler);
  self->refocus_handler = 0;
  g_clear_object (&self->refocus_clock);
}

/* Whether the keyboard is in the list: on a row or the list itself, or on a widget no longer in
 * the window — where GTK 4.8 leaves it when the row it was on is taken out, by a move or a
 * change from elsewhere, and where keys reach nothing (Alt+Up pressed twice moved a scene
 * once). */
static gboolean
keyboard_in_list (LoomSidebar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == GTK_WIDGET (self->list_view) ||
                           gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)) ||
                           gtk_widget_get_root (focus) == NULL);
}

static void refocus_after_layout (LoomSidebar *self);

/* The keyboard goes to the selected item's row, or to the list until the row is made (once the
 * list has laid itself out again, when @wait_for_row). */
static void
focus_selected_row (LoomSidebar *self,
                    gboolean     wait_for_row)
{
  LoomSidebarRow *row = self->selected_item != NULL
                        ? loom_sidebar_find_row (self, self->selected_item) : NULL;

  if (row != NULL && gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row))))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  if (wait_for_row)
    refocus_after_layout (self);
}

static void
on_refocus_after_paint (GdkFrameClock *clock,
                        LoomSidebar   *self)
{
  stop_refocus (self);
  if (keyboard_in_list (self))
    focus_selected_row (self, FALSE);
}

/* The list makes the rows of moved items when it lays itself out again: then the keyboard
 * goes to the selected one. */
static void
refocus_after_layout (LoomSidebar *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view));

  if (clock == NULL || self->refocus_handler != 0)
    return;
  self->refocus_clock = g_object_ref (clock);
  self->refocus_handler = g_signal_connect (clock, "after-paint",
                                            G_CALLBACK (on_refocus_after_paint), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
}

void
loom_sidebar_select_item (LoomSidebar *self,
                          GObject     *item)
{
  guint position;

  g_return_if_fail (LOOM_IS_SIDEBAR (self));

  if (self->tree == NULL)
    return;

  /* Chosen now: no held selection comes back over it. */
  drop_kept_selection (self);

  if (item == NULL)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      sync_selected_item (self);
      return;
    }

  /* A scene in a collapsed chapter: open the chapter first. */
  if (LOOM_IS_SCENE (item) && find_row (self, G_OBJECT (loom_scene_get_chapter (LOOM_SCENE (item))),
                                         &position))
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
      gtk_tree_list_row_set_expanded (row, TRUE);
    }

  if (!find_row (self, item, &position))
    {
      sync_selected_item (self);
      return;
    }

  gtk_single_selection_set_selected (self->selection, position);
  sync_selected_item (self);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  /* With the keyboard in the list, it follows the selection. */
  if (keyboard_in_list (self))
    focus_selected_row (self, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* The story                                                                                  */

static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  if (LOOM_IS_CHAPTER (item))
    return g_object_ref (loom_chapter_get_scenes (LOOM_CHAPTER (item)));
  return NULL;
}

static void
update_page (LoomSidebar *self)
{
  gboolean empty = self->story == NULL ||
                   g_list_model_get_n_items (loom_story_get_chapters (self->story)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

LoomStory *
loom_sidebar_get_story (LoomSidebar *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), NULL);
  return self->story;
}

void
loom_sidebar_set_story (LoomSidebar *self,
                        LoomStory   *story)
{
  g_return_if_fail (LOOM_IS_SIDEBAR (self));
  g_return_if_fail (story == NULL || LOOM_IS_STORY (story));

  if (self->story == story)
    return;

  gtk_list_view_set_model (self->list_view, NULL);
  if (self->story != NULL)
    g_signal_handlers_disconnect_by_func (loom_story_get_chapters (self->story), update_page, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, sync_selected_item, self);
  if (self->tree != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->tree, keep_selection, self);
    }
  drop_kept_selection (self);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_set_object (&self->story, story);

  if (story != NULL)
    {
      GListModel *chapters = loom_story_get_chapters (story);
      gboolean small = loom_story_get_scene_count (story) <= SMALL_STORY_SCENES;

      /* GTK 4.8's list view keeps up to 200 rows alive, and their first layout is most of the
       * start-up time of a long story: there, only the first chapter opens by itself. */
      self->tree = gtk_tree_list_model_new (g_object_ref (chapters), FALSE, small,
                                            create_child_model, NULL, NULL);
      if (!small && g_list_model_get_n_items (G_LIST_MODEL (self->tree)) > 0)
        {
          g_autoptr(GtkTreeListRow) first = g_list_model_get_item (G_LIST_MODEL (self->tree), 0);
          gtk_tree_list_row_set_expanded (first, TRUE);
        }
      g_signal_connect_swapped (self->tree, "items-changed", G_CALLBACK (keep_selection), self);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      g_signal_connect_swapped (self->selection, "notify::selected-item",
                                G_CALLBACK (sync_selected_item), self);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
      g_signal_connect_object (chapters, "items-changed", G_CALLBACK (update_page), self,
                               G_CONNECT_SWAPPED);
    }

  update_page (self);

  sync_selected_item (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORY]);
}

/* ------------------------------------------------------------------------------------------ */
/* Moves                                                                                      */

/**
 * loom_sidebar_resolve_drop:
 * @item: the dragged chapter or scene
 * @target: the chapter or scene it is dropped on
 * @where: before or after @target, or into it (a scene into a chapter: at its end)
 * @into: (out): the chapter a scene goes to; %NULL for a chapter
 * @position: (out): the position, counted in the list without @item
 *
 * Returns: %TRUE when the drop means a move; %FALSE when it is meaningless (a chapter onto a
 *   scene, an item onto itself, a move to where it already is).
 */
gboolean
loom_sidebar_resolve_drop (GObject           *item,
                           GObject           *target,
                           LoomDropPosition   where,
                           GObject          **into,
                           guint             *position)
{
  GListModel *list;
  guint from, at, n;
  gboolean same_list;

  *into = NULL;
  *position = 0;

  if (item == NULL || target == NULL || item == target || where == LOOM_DROP_NONE)
    return FALSE;

  if (LOOM_IS_SCENE (item))
    {
      LoomScene *scene = LOOM_SCENE (item);
      LoomChapter *chapter;

      if (LOOM_IS_CHAPTER (target))
        {
          chapter = LOOM_CHAPTER (target);
          list = loom_chapter_get_scenes (chapter);
          same_list = chapter == loom_scene_get_chapter (scene);
          n = g_list_model_get_n_items (list);
          *position = same_list ? n - 1 : n;
          *into = G_OBJECT (chapter);
          if (same_list && loom_ui_list_model_find (list, scene, &from) && from == *position)
            return FALSE;
          return TRUE;
        }

      if (!LOOM_IS_SCENE (target) || where == LOOM_DROP_INTO)
        return FALSE;

      chapter = loom_scene_get_chapter (LOOM_SCENE (target));
      if (loom_scene_get_story (scene) != loom_scene_get_story (LOOM_SCENE (target)))
        return FALSE;
      list = loom_chapter_get_scenes (chapter);
      same_list = chapter == loom_scene_get_chapter (scene);
      *into = G_OBJECT (chapter);
    }
  else if (LOOM_IS_CHAPTER (item))
    {
      if (!LOOM_IS_CHAPTER (target) || where == LOOM_DROP_INTO)
        return FALSE;
      if (loom_chapter_get_story (LOOM_CHAPTER (item)) !=
          loom_chapter_get_story (LOOM_CHAPTER (target)))
        return FALSE;
      list = loom_story_get_chapters (loom_chapter_get_story (LOOM_CHAPTER (item)));
      same_list = TRUE;
    }
  else
    return FALSE;

  if (!loom_ui_list_model_find (list, target, &at))
    return FALSE;
  *position = where == LOOM_DROP_BEFORE ? at : at + 1;
  if (same_list)
    {
      if (!loom_ui_list_model_find (list, item, &from))
        return FALSE;
      if (from < at)
        *position -= 1;
      if (*position == from)
        return FALSE;
    }
  return TRUE;
}

static LoomStore *
sidebar_store (LoomSidebar *self)
{
  return self->story ? loom_story_get_store (self->story) : NULL;
}

static gboolean
move_to (LoomSidebar  *self,
         GObject      *item,
         GObject      *into,
         guint         position,
         GError      **error)
{
  LoomStore *store = sidebar_store (self);
  g_autoptr(GObject) hold = g_object_ref (item);
  gboolean was_selected = self->selected_item == item;
  gboolean expanded = FALSE;
  GObject *from_parent;
  guint from_position = 0;
  guint to_position = 0;
  gboolean ok;
  guint row;

  g_return_val_if_fail (store != NULL, FALSE);

  /* Where it was, for the window's undo. */
  from_parent = LOOM_IS_SCENE (item) ? G_OBJECT (loom_scene_get_chapter (LOOM_SCENE (item)))
                                     : NULL;
  loom_ui_list_model_find (from_parent ? loom_chapter_get_scenes (LOOM_CHAPTER (from_parent))
                                       : loom_story_get_chapters (self->story),
                           item, &from_position);
  if (from_parent != NULL)
    g_object_ref (from_parent);

  /* A moved chapter comes back as a new row: keep it open or closed as it was. */
  if (LOOM_IS_CHAPTER (item) && find_row (self, item, &row))
    {
      g_autoptr(GtkTreeListRow) list_row = g_list_model_get_item (G_LIST_MODEL (self->tree), row);
      expanded = gtk_tree_list_row_get_expanded (list_row);
    }

  self->moving = TRUE;
  if (LOOM_IS_SCENE (item))
    ok = loom_store_move_scene (store, LOOM_SCENE (item), LOOM_CHAPTER (into), position, error);
  else
    ok = loom_store_move_chapter (store, LOOM_CHAPTER (item), position, error);
  if (LOOM_IS_CHAPTER (item) && find_row (self, item, &row))
    {
      g_autoptr(GtkTreeListRow) list_row = g_list_model_get_item (G_LIST_MODEL (self->tree), row);
      gtk_tree_list_row_set_expanded (list_row, expanded);
    }
  if (was_selected)
    loom_sidebar_select_item (self, item);
  self->moving = FALSE;

  sync_selected_item (self);

  if (ok)
    {
      GObject *to_parent = LOOM_IS_SCENE (item)
                           ? G_OBJECT (loom_scene_get_chapter (LOOM_SCENE (item))) : NULL;

      loom_ui_list_model_find (to_parent ? loom_chapter_get_scenes (LOOM_CHAPTER (to_parent))
                                         : loom_story_get_chapters (self->story),
                               item, &to_position);
      if (to_parent != from_parent || to_position != from_position)
        g_signal_emit (self, signals[MOVED], 0, item, from_parent, from_position);
    }
  g_clear_object (&from_parent);
  return ok;
}

/**
 * loom_sidebar_move_to:
 * @into: (nullable): the chapter a scene goes to; %NULL for a chapter
 * @position: the place in that chapter (or among the chapters) once moved, from 0
 *
 * Moves @item as a drop would, keeping the selection and a chapter's open or closed state.
 */
gboolean
loom_sidebar_move_to (LoomSidebar  *self,
                      GObject      *item,
                      GObject      *into,
                      guint         position,
                      GError      **error)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (item) ? LOOM_IS_CHAPTER (into) : LOOM_IS_CHAPTER (item),
                        FALSE);

  return move_to (self, item, into, position, error);
}

/**
 * loom_sidebar_drop:
 *
 * What a drop does: resolves the place with loom_sidebar_resolve_drop() and moves @item there,
 * stored at once. A meaningless drop does nothing and succeeds.
 */
gboolean
loom_sidebar_drop (LoomSidebar       *self,
                   GObject           *item,
                   GObject           *target,
                   LoomDropPosition   where,
                   GError           **error)
{
  GObject *into;
  guint position;

  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), FALSE);

  if (!loom_sidebar_resolve_drop (item, target, where, &into, &position))
    return TRUE;
  return move_to (self, item, into, position, error);
}

/* Where Alt+Up (direction -1) or Alt+Down (+1) takes ITEM; scenes cross chapter boundaries. */
static gboolean
keyboard_destination (GObject  *item,
                      int       direction,
                      GObject **into,
                      guint    *position)
{
  if (LOOM_IS_SCENE (item))
    {
      LoomChapter *chapter = loom_scene_get_chapter (LOOM_SCENE (item));
      GListModel *scenes = loom_chapter_get_scenes (chapter);
      GListModel *chapters = loom_story_get_chapters (loom_chapter_get_story (chapter));
      guint from, c;

      if (!loom_ui_list_model_find (scenes, item, &from) ||
          !loom_ui_list_model_find (chapters, chapter, &c))
        return FALSE;

      if (direction < 0 && from > 0)
        {
          *into = G_OBJECT (chapter);
          *position = from - 1;
          return TRUE;
        }
      if (direction > 0 && from + 1 < g_list_model_get_n_items (scenes))
        {
          *into = G_OBJECT (chapter);
          *position = from + 1;
          return TRUE;
        }
      if (direction < 0 && c > 0)
        {
          g_autoptr(GObject) previous = g_list_model_get_item (chapters, c - 1);
          *into = previous;
          *position = LOOM_POSITION_END;
          return TRUE;
        }
      if (direction > 0 && c + 1 < g_list_model_get_n_items (chapters))
        {
          g_autoptr(GObject) next = g_list_model_get_item (chapters, c + 1);
          *into = next;
          *position = 0;
          return TRUE;
        }
      return FALSE;
    }

  if (LOOM_IS_CHAPTER (item))
    {
      GListModel *chapters = loom_story_get_chapters (loom_chapter_get_story (LOOM_CHAPTER (item)));
      guint from;

      if (!loom_ui_list_model_find (chapters, item, &from))
        return FALSE;
      *into = NULL;
      if (direction < 0 && from > 0)
        {
          *position = from - 1;
          return TRUE;
        }
      if (direction > 0 && from + 1 < g_list_model_get_n_items (chapters))
        {
          *position = from + 1;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
loom_sidebar_can_move (LoomSidebar *self,
                       GObject     *item,
                       int          direction)
{
  GObject *into;
  guint position;

  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), FALSE);
  return item != NULL && keyboard_destination (item, direction, &into, &position);
}

gboolean
loom_sidebar_move (LoomSidebar  *self,
                   GObject      *item,
                   int           direction,
                   GError      **error)
{
  GObject *into;
  guint position;

  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), FALSE);

  if (item == NULL || !keyboard_destination (item, direction, &into, &position))
    return TRUE;
  return move_to (self, item, into, position, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Drag and drop                                                                              */

/* While a drag hovers near the top or the bottom of the list, the list scrolls. */
#define AUTOSCROLL_EDGE 48.0

static gboolean
autoscroll_tick (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  LoomSidebar *self = LOOM_SIDEBAR (data);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) + self->autoscroll_speed);
  return G_SOURCE_CONTINUE;
}

static void
stop_autoscroll (LoomSidebar *self)
{
  if (self->autoscroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->scroller), self->autoscroll_tick);
  self->autoscroll_tick = 0;
}

static void
on_drag_hover (GtkDropControllerMotion *motion,
               double                   x,
               double                   y,
               LoomSidebar             *self)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self->scroller));

  if (y < AUTOSCROLL_EDGE)
    self->autoscroll_speed = -(AUTOSCROLL_EDGE - y) / 4;
  else if (y > height - AUTOSCROLL_EDGE)
    self->autoscroll_speed = (y - (height - AUTOSCROLL_EDGE)) / 4;
  else
    {
      stop_autoscroll (self);
      return;
    }

  if (self->autoscroll_tick == 0)
    self->autoscroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->scroller),
                                                          autoscroll_tick, self, NULL);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource  *source,
                 double          x,
                 double          y,
                 LoomSidebarRow *row)
{
  GObject *item = loom_sidebar_row_get_item (row);

  if (item == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_OBJECT_TYPE (item), item);
}

static void
on_drag_begin (GtkDragSource  *source,
               GdkDrag        *drag,
               LoomSidebarRow *row)
{
  GtkWidget *icon = gtk_drag_icon_get_for_drag (drag);
  GtkWidget *label = gtk_label_new (loom_sidebar_row_get_title_text (row));

  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "loom-drag-icon");
  gtk_drag_icon_set_child (GTK_DRAG_ICON (icon), label);
}

static LoomDropPosition
drop_position (GtkDropTarget  *target,
               LoomSidebarRow *row,
               double          y)
{
  const GValue *value = gtk_drop_target_get_value (target);
  GObject *item = loom_sidebar_row_get_item (row);
  GObject *dragged;
  LoomDropPosition where;
  GObject *into;
  guint position;

  if (value == NULL || !G_VALUE_HOLDS_OBJECT (value) || item == NULL)
    return LOOM_DROP_NONE;
  dragged = g_value_get_object (value);

  if (LOOM_IS_SCENE (dragged) && LOOM_IS_CHAPTER (item))
    where = LOOM_DROP_INTO;
  else if (y < gtk_widget_get_height (GTK_WIDGET (row)) / 2.0)
    where = LOOM_DROP_BEFORE;
  else
    where = LOOM_DROP_AFTER;

  if (!loom_sidebar_resolve_drop (dragged, item, where, &into, &position))
    return LOOM_DROP_NONE;
  return where;
}

static GdkDragAction
on_drop_motion (GtkDropTarget  *target,
                double          x,
                double          y,
                LoomSidebarRow *row)
{
  LoomDropPosition where = drop_position (target, row, y);

  loom_sidebar_row_set_drop (row, where);
  return where == LOOM_DROP_NONE ? 0 : GDK_ACTION_MOVE;
}

static void
on_drop_leave (GtkDropTarget  *target,
               LoomSidebarRow *row)
{
  loom_sidebar_row_set_drop (row, LOOM_DROP_NONE);
}

static gboolean
on_drop (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         LoomSidebarRow *row)
{
  LoomSidebar *self = LOOM_SIDEBAR (gtk_widget_get_ancestor (GTK_WIDGET (row), LOOM_TYPE_SIDEBAR));
  LoomDropPosition where = drop_position (target, row, y);
  g_autoptr(GError) error = NULL;

  loom_sidebar_row_set_drop (row, LOOM_DROP_NONE);
  if (self != NULL)
    stop_autoscroll (self);
  if (self == NULL || where == LOOM_DROP_NONE)
    return FALSE;

  if (!loom_sidebar_drop (self, g_value_get_object (value), loom_sidebar_row_get_item (row),
                          where, &error))
    loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Rows                                                                                       */

static void
popup_row_menu (LoomSidebar    *self,
                LoomSidebarRow *row,
                double          x,
                double          y)
{
  loom_sidebar_select_item (self, loom_sidebar_row_get_item (row));
  loom_sidebar_row_popup_menu (row, self->row_menu, x, y);
}

static void
on_row_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                LoomSidebarRow  *row)
{
  LoomSidebar *self = LOOM_SIDEBAR (gtk_widget_get_ancestor (GTK_WIDGET (row), LOOM_TYPE_SIDEBAR));

  if (self == NULL || loom_sidebar_row_get_item (row) == NULL)
    return;

  popup_row_menu (self, row, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Menu or Shift+F10: the selected row's menu, for those who don't use a mouse. */
static void
show_menu_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LoomSidebar *self = LOOM_SIDEBAR (widget);
  LoomSidebarRow *row;

  if (self->selected_item == NULL ||
      (row = loom_sidebar_find_row (self, self->selected_item)) == NULL)
    return;
  popup_row_menu (self, row, gtk_widget_get_width (GTK_WIDGET (row)) / 2.0,
                  gtk_widget_get_height (GTK_WIDGET (row)));
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           LoomSidebar              *self)
{
  LoomSidebarRow *row = loom_sidebar_row_new ();
  GtkDragSource *source;
  GtkDropTarget *target;
  GtkGesture *click;

  gtk_list_item_set_child (list_item, GTK_WIDGET (row));

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), row);
  gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_MOVE);
  gtk_drop_target_set_gtypes (target, (GType[]) { LOOM_TYPE_SCENE, LOOM_TYPE_CHAPTER }, 2);
  gtk_drop_target_set_preload (target, TRUE);
  g_signal_connect (target, "motion", G_CALLBACK (on_drop_motion), row);
  g_signal_connect (target, "enter", G_CALLBACK (on_drop_motion), row);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave), row);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), row);
  gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (target));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed), row);
  gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (click));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          LoomSidebar              *self)
{
  loom_sidebar_row_set_list_row (LOOM_SIDEBAR_ROW (gtk_list_item_get_child (list_item)),
                                 gtk_list_item_get_item (list_item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            LoomSidebar              *self)
{
  loom_sidebar_row_set_list_row (LOOM_SIDEBAR_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
on_activate (GtkListView *list_view,
             guint        position,
             LoomSidebar *self)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);

  if (row != NULL && gtk_tree_list_row_is_expandable (row))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
}

/* The generation entries of the row menu: SECTION's items replace the placeholders. */
void
loom_sidebar_set_generation_section (LoomSidebar *self,
                                     GMenuModel  *section)
{
  g_return_if_fail (LOOM_IS_SIDEBAR (self));
  g_return_if_fail (section == NULL || G_IS_MENU_MODEL (section));

  g_menu_remove_all (self->generation_section);
  if (section != NULL)
    g_menu_append_section (self->generation_section, NULL, section);
}

/* The row at POSITION, or the last one: where the selection goes after a deletion. */
void
loom_sidebar_select_position (LoomSidebar *self,
                              guint        position)
{
  guint n;

  g_return_if_fail (LOOM_IS_SIDEBAR (self));

  if (self->selection == NULL || (n = g_list_model_get_n_items (G_LIST_MODEL (self->tree))) == 0)
    return;
  drop_kept_selection (self);
  gtk_single_selection_set_selected (self->selection, MIN (position, n - 1));
  sync_selected_item (self);
}

guint
loom_sidebar_get_selected_position (LoomSidebar *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), GTK_INVALID_LIST_POSITION);

  if (self->selection == NULL)
    return GTK_INVALID_LIST_POSITION;
  return gtk_single_selection_get_selected (self->selection);
}

/* For the tests and the benchmark. */
GtkListView *
loom_sidebar_get_list_view (LoomSidebar *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), NULL);
  return self->list_view;
}

GtkAdjustment *
loom_sidebar_get_vadjustment (LoomSidebar *self)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), NULL);
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

/* Opens (or closes) every chapter. */
void
loom_sidebar_set_all_expanded (LoomSidebar *self,
                               gboolean     expanded)
{
  GListModel *model;

  g_return_if_fail (LOOM_IS_SIDEBAR (self));

  if (self->tree == NULL)
    return;

  /* Backwards, so that opening a chapter does not move the rows still to visit. */
  model = G_LIST_MODEL (self->tree);
  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i - 1);

      if (gtk_tree_list_row_is_expandable (row))
        gtk_tree_list_row_set_expanded (row, expanded);
    }
}

LoomSidebarRow *
loom_sidebar_find_row (LoomSidebar *self,
                       GObject     *item)
{
  g_return_val_if_fail (LOOM_IS_SIDEBAR (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (LOOM_IS_SIDEBAR_ROW (row) && loom_sidebar_row_get_item (LOOM_SIDEBAR_ROW (row)) == item)
        return LOOM_SIDEBAR_ROW (row);
    }
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */

/* Focus goes to the selected row when it is on screen, so that the arrows start from it. */
static gboolean
loom_sidebar_grab_focus (GtkWidget *widget)
{
  LoomSidebar *self = LOOM_SIDEBAR (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    {
      LoomSidebarRow *row = self->selected_item ? loom_sidebar_find_row (self, self->selected_item)
                                                : NULL;

      if (row != NULL && gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row))))
        return TRUE;
      return gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
    }
  return gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

static void
loom_sidebar_dispose (GObject *object)
{
  LoomSidebar *self = (LoomSidebar *) object;
  GtkWidget *child;

  loom_sidebar_set_story (self, NULL);
  stop_refocus (self);
  if (self->scroller != NULL)
    stop_autoscroll (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selected_item);

  G_OBJECT_CLASS (loom_sidebar_parent_class)->dispose (object);
}

static void
loom_sidebar_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LoomSidebar *self = LOOM_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    case PROP_SELECTED_ITEM:
      g_value_set_object (value, self->selected_item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_sidebar_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LoomSidebar *self = LOOM_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_STORY:
      loom_sidebar_set_story (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_sidebar_class_init (LoomSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_sidebar_dispose;
  object_class->get_property = loom_sidebar_get_property;
  widget_class->grab_focus = loom_sidebar_grab_focus;
  object_class->set_property = loom_sidebar_set_property;

  properties[PROP_STORY] =
    g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomSidebar::moved:
   * @item: the chapter or scene that moved, by a drop or by the keyboard
   * @from_parent: (nullable): a scene's chapter before the move; %NULL for a chapter
   * @from_position: its place there before the move, from 0
   */
  signals[MOVED] = g_signal_new ("moved", G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 3, G_TYPE_OBJECT, G_TYPE_OBJECT, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebar, scroller);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebar, row_menu);
  gtk_widget_class_bind_template_child (widget_class, LoomSidebar, generation_section);
  gtk_widget_class_set_css_name (widget_class, "loomsidebar");

  gtk_widget_class_install_action (widget_class, "sidebar.show-menu", NULL, show_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "sidebar.show-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "sidebar.show-menu", NULL);
  /* Deleting has an Undo toast, so the key needs no confirmation. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
}

static void
loom_sidebar_init (LoomSidebar *self)
{
  GtkListItemFactory *factory;
  GtkEventController *motion;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_activate), self);

  motion = gtk_drop_controller_motion_new ();
  g_signal_connect (motion, "enter", G_CALLBACK (on_drag_hover), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_drag_hover), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (stop_autoscroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), motion);
}
