/* loom-selection-popover.c
 *
 * When a selection in the prose has rested LOOM_SELECTION_POPOVER_DELAY_MS, a small popover
 * points at it with the revise.* actions (the Generate menu's and the context menu's, which
 * only open the review dialog). It never takes the keyboard: it does not hide on its own
 * (autohide would grab the pointer and the keyboard), so the prose keeps the focus and typing
 * goes on; the prose's controllers close it instead, on Escape, on a click, when the selection
 * changes or goes, when the text scrolls and when the prose loses the focus.
 *
 * A popover's events travel through its parent widgets' controllers before they reach it, so
 * it is the window's child, not the prose's: the window's panes (the leaflet's swipe tracker)
 * and the prose's own gestures would otherwise take a press on its buttons for theirs, and
 * the button never sees the click. Its presses also stop at the popover on their way back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-selection-popover"

#include "config.h"

#include "loom-selection-popover.h"

struct _LoomSelectionPopover
{
  GtkPopover   parent_instance;

  /* borrowed: the prose, whose root owns this popover */
  GtkTextView *view;

  guint        rest_source;
};

G_DEFINE_FINAL_TYPE (LoomSelectionPopover, loom_selection_popover, GTK_TYPE_POPOVER)

/* Where the selection shows: its first line, or its last when the first is scrolled away. */
static void
point_at_selection (LoomSelectionPopover *self,
                    const GtkTextIter    *start,
                    const GtkTextIter    *end)
{
  GdkRectangle first, last, rect;
  graphene_point_t origin;
  int width = gtk_widget_get_width (GTK_WIDGET (self->view));
  int height = gtk_widget_get_height (GTK_WIDGET (self->view));

  gtk_text_view_get_iter_location (self->view, start, &first);
  gtk_text_view_get_iter_location (self->view, end, &last);
  gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_WIDGET, first.x, first.y,
                                         &first.x, &first.y);
  gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_WIDGET, last.x, last.y,
                                         &last.x, &last.y);
  if (first.y >= 0)
    {
      rect = first;
      rect.width = last.y == first.y && last.x > first.x ? last.x - first.x : 1;
      gtk_popover_set_position (GTK_POPOVER (self), GTK_POS_TOP);
    }
  else
    {
      rect = last;
      rect.y = MIN (last.y, height - last.height);
      rect.width = 1;
      gtk_popover_set_position (GTK_POPOVER (self), GTK_POS_BOTTOM);
    }
  rect.x = CLAMP (rect.x, 0, MAX (width - 1, 0));
  rect.width = MAX (1, MIN (rect.width, width - rect.x));
  rect.y = MAX (rect.y, 0);
  rect.height = MAX (rect.height, 1);
  /* in the parent's coordinates */
  if (gtk_widget_compute_point (GTK_WIDGET (self->view),
                                gtk_widget_get_parent (GTK_WIDGET (self)),
                                &GRAPHENE_POINT_INIT (rect.x, rect.y), &origin))
    {
      rect.x = (int) origin.x;
      rect.y = (int) origin.y;
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self), &rect);
}

static gboolean
on_rest (gpointer data)
{
  LoomSelectionPopover *self = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->view));
  GtkTextIter start, end;

  self->rest_source = 0;
  /* Only for the writer's own selection in prose they can change, with the keyboard there */
  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end) ||
      !gtk_widget_get_mapped (GTK_WIDGET (self->view)) ||
      !gtk_text_view_get_editable (self->view) || root == NULL ||
      gtk_root_get_focus (root) != GTK_WIDGET (self->view))
    return G_SOURCE_REMOVE;

  point_at_selection (self, &start, &end);
  gtk_popover_popup (GTK_POPOVER (self));
  return G_SOURCE_REMOVE;
}

static void
hide_and_wait (LoomSelectionPopover *self)
{
  g_clear_handle_id (&self->rest_source, g_source_remove);
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_popover_popdown (GTK_POPOVER (self));
  if (gtk_text_buffer_get_has_selection (gtk_text_view_get_buffer (self->view)))
    self->rest_source = g_timeout_add (LOOM_SELECTION_POPOVER_DELAY_MS, on_rest, self);
}

static void
on_mark_set (LoomSelectionPopover *self,
             const GtkTextIter    *location,
             GtkTextMark          *mark,
             GtkTextBuffer        *buffer)
{
  if (mark == gtk_text_buffer_get_insert (buffer) ||
      mark == gtk_text_buffer_get_selection_bound (buffer))
    hide_and_wait (self);
}

static void
on_changed (LoomSelectionPopover *self)
{
  hide_and_wait (self);
}

static gboolean
on_key_pressed (LoomSelectionPopover *self,
                guint                 keyval,
                guint                 keycode,
                GdkModifierType       state)
{
  if (keyval != GDK_KEY_Escape || !gtk_widget_get_visible (GTK_WIDGET (self)))
    return FALSE;
  g_clear_handle_id (&self->rest_source, g_source_remove);
  gtk_popover_popdown (GTK_POPOVER (self));
  return TRUE;
}

/* A press in the text, not on the popover. */
static void
on_view_pressed (LoomSelectionPopover *self,
                 int                   n_press,
                 double                x,
                 double                y,
                 GtkGesture           *gesture)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));
  GdkSurface *own = gtk_native_get_surface (GTK_NATIVE (self));

  if (event != NULL && own != NULL && gdk_event_get_surface (event) == own)
    return;
  g_clear_handle_id (&self->rest_source, g_source_remove);
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_popover_popdown (GTK_POPOVER (self));
}

static void
on_focus_leave (LoomSelectionPopover *self)
{
  g_clear_handle_id (&self->rest_source, g_source_remove);
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_popover_popdown (GTK_POPOVER (self));
}

/* Presses and releases on the popover end here, after its buttons had them. */
static gboolean
on_own_event (GtkEventControllerLegacy *controller,
              GdkEvent                 *event)
{
  GdkEventType type = gdk_event_get_event_type (event);

  return type == GDK_BUTTON_PRESS || type == GDK_BUTTON_RELEASE || type == GDK_TOUCH_BEGIN ||
         type == GDK_TOUCH_END;
}

static void
on_view_destroy (LoomSelectionPopover *self)
{
  g_clear_handle_id (&self->rest_source, g_source_remove);
  gtk_widget_unparent (GTK_WIDGET (self));
}

LoomSelectionPopover *
loom_selection_popover_new (GtkTextView *view)
{
  LoomSelectionPopover *self;
  GtkTextBuffer *buffer;
  GtkAdjustment *adjustment;
  GtkEventController *keys;
  GtkEventController *focus;
  GtkGesture *press;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (LOOM_TYPE_SELECTION_POPOVER, NULL);
  self->view = view;
  gtk_widget_set_parent (GTK_WIDGET (self), gtk_widget_get_root (GTK_WIDGET (view))
                                            ? GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (view)))
                                            : GTK_WIDGET (view));
  g_signal_connect_object (view, "destroy", G_CALLBACK (on_view_destroy), self,
                           G_CONNECT_SWAPPED);

  buffer = gtk_text_view_get_buffer (view);
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (on_mark_set), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  if (adjustment != NULL)
    g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_changed), self,
                             G_CONNECT_SWAPPED);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (view), keys);

  /* Watches only: it never claims, so the text handles the press as ever. */
  press = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (press), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press), GTK_PHASE_CAPTURE);
  g_signal_connect_object (press, "pressed", G_CALLBACK (on_view_pressed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (view), GTK_EVENT_CONTROLLER (press));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (view), focus);
  return self;
}

static void
loom_selection_popover_dispose (GObject *object)
{
  LoomSelectionPopover *self = LOOM_SELECTION_POPOVER (object);

  g_clear_handle_id (&self->rest_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_SELECTION_POPOVER);

  G_OBJECT_CLASS (loom_selection_popover_parent_class)->dispose (object);
}

static void
loom_selection_popover_class_init (LoomSelectionPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_selection_popover_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-selection-popover.ui");
}

static void
loom_selection_popover_init (LoomSelectionPopover *self)
{
  GtkEventController *own = gtk_event_controller_legacy_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (own, "event", G_CALLBACK (on_own_event), NULL);
  gtk_widget_add_controller (GTK_WIDGET (self), own);
}
