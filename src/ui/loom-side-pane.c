/* loom-side-pane.c: a pane beside the editor, as wide as the writer drags it
 *
 * AdwFlap has no handle, and GtkPaned cannot fold: this pane is the flap's child and carries its
 * own handle, a line on the edge that faces the editor, grabbed there or a few pixels inside the
 * pane. It asks for the width the writer chose as its
 * natural width but only for its child's minimum as its minimum, so the flap gives it the chosen
 * width where there is room, narrows it where there is less, and folds at the same window width
 * whatever was chosen.
 *
 * The keyboard reaches the handle as GtkPaned's: loom_side_pane_focus_handle () (the window binds
 * it to F8) focuses it, Tab passes it by; there Left and Right move it a step, Ctrl a larger one,
 * Home and End to the narrowest and the widest, Return keeps the width and Escape takes back
 * what the keys changed, both returning the keyboard to where it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-side-pane"

#include "config.h"

#include "loom-side-pane.h"

/* The widest a pane may be dragged: wider, the editor beside it is too narrow to write in. */
#define MAX_PANE_WIDTH 800

/* The handle is a line of one pixel; a hand finds it this far into the pane too. */
#define GRAB_WIDTH 6

/* The keys' steps, in pixels: an arrow's, and with Ctrl (GtkPaned's page step). */
#define KEY_STEP 10
#define KEY_PAGE 75

struct _LoomSidePane
{
  GtkWidget   parent_instance;

  /* owned */
  GtkWidget  *handle;
  GtkWidget  *child;

  int         pane_width;    /* what the writer chose; 0: the child's natural width */
  double      drag_start_x;  /* in the window's coordinates: the pane moves while dragged */
  int         drag_start_width;

  GtkWidget  *focus_before;       /* weak: where Return and Escape send the keyboard back */
  int         focus_start_width;  /* pane_width when the handle took the keyboard */
  int         reported_width;     /* the width the accessible value last said */
  gboolean    keys_ahead;         /* a key set pane_width, not yet laid out */
};

G_DEFINE_FINAL_TYPE (LoomSidePane, loom_side_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_PANE_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
loom_side_pane_new (void)
{
  return g_object_new (LOOM_TYPE_SIDE_PANE, NULL);
}

GtkWidget *
loom_side_pane_get_child (LoomSidePane *self)
{
  g_return_val_if_fail (LOOM_IS_SIDE_PANE (self), NULL);
  return self->child;
}

void
loom_side_pane_set_child (LoomSidePane *self,
                          GtkWidget    *child)
{
  g_return_if_fail (LOOM_IS_SIDE_PANE (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

int
loom_side_pane_get_pane_width (LoomSidePane *self)
{
  g_return_val_if_fail (LOOM_IS_SIDE_PANE (self), 0);
  return self->pane_width;
}

void
loom_side_pane_set_pane_width (LoomSidePane *self,
                               int           width)
{
  g_return_if_fail (LOOM_IS_SIDE_PANE (self));

  width = CLAMP (width, 0, MAX_PANE_WIDTH);
  if (self->pane_width == width)
    return;

  self->pane_width = width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PANE_WIDTH]);
}

/* The handle, for the tests. */
GtkWidget *
loom_side_pane_get_handle (LoomSidePane *self)
{
  g_return_val_if_fail (LOOM_IS_SIDE_PANE (self), NULL);
  return self->handle;
}

/* ------------------------------------------------------------------------------------------ */
/* Dragging the handle                                                                        */

static gboolean
pointer_x_in_window (LoomSidePane *self,
                     GtkGesture   *gesture,
                     double       *x)
{
  GdkEventSequence *sequence = gtk_gesture_single_get_current_sequence (GTK_GESTURE_SINGLE (gesture));
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  double hx, hy, y;

  return root != NULL &&
         gtk_gesture_get_point (gesture, sequence, &hx, &hy) &&
         gtk_widget_translate_coordinates (GTK_WIDGET (self), root, hx, hy, x, &y);
}

/* Whether X, in the pane's coordinates, is on the handle or near enough to grab it. */
static gboolean
is_on_handle (LoomSidePane *self,
              double        x)
{
  int reach = gtk_widget_get_width (self->handle) + GRAB_WIDTH;

  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    return x >= gtk_widget_get_width (GTK_WIDGET (self)) - reach;
  return x < reach;
}

static void
on_motion (LoomSidePane *self,
           double        x,
           double        y)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), is_on_handle (self, x) ? "col-resize"
                                                                             : NULL);
}

static void
on_leave (LoomSidePane *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
on_drag_begin (LoomSidePane   *self,
               double          start_x,
               double          start_y,
               GtkGestureDrag *gesture)
{
  if (!is_on_handle (self, start_x) ||
      !pointer_x_in_window (self, GTK_GESTURE (gesture), &self->drag_start_x))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_start_width = gtk_widget_get_width (GTK_WIDGET (self));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (LoomSidePane   *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *gesture)
{
  int minimum;
  double x;
  int width;

  if (!pointer_x_in_window (self, GTK_GESTURE (gesture), &x))
    return;

  /* The handle faces the editor: towards it widens the pane. */
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    width = self->drag_start_width + (int) (x - self->drag_start_x);
  else
    width = self->drag_start_width - (int) (x - self->drag_start_x);

  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  loom_side_pane_set_pane_width (self, MAX (width, minimum));
}

/* ------------------------------------------------------------------------------------------ */
/* The keyboard on the handle                                                                 */

static void
set_focus_before (LoomSidePane *self,
                  GtkWidget    *widget)
{
  if (self->focus_before != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->focus_before), (gpointer *) &self->focus_before);
  self->focus_before = widget;
  if (widget != NULL)
    g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->focus_before);
}

/**
 * loom_side_pane_focus_handle:
 *
 * Gives the handle the keyboard, to resize the pane with the arrows; Return or Escape gives it
 * back to the widget that had it. Returns %FALSE where the pane is not on screen.
 */
gboolean
loom_side_pane_focus_handle (LoomSidePane *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (LOOM_IS_SIDE_PANE (self), FALSE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  focus = gtk_root_get_focus (root);
  if (focus != self->handle)
    {
      set_focus_before (self, focus);
      self->focus_start_width = self->pane_width;
    }
  return gtk_widget_grab_focus (self->handle);
}

/* Moves the handle DX pixels (to the right where positive), as a drag by DX would. */
static void
move_handle (LoomSidePane *self,
             int           dx)
{
  int minimum;
  /* Keys repeat faster than the pane is laid out: the next step goes on from the last one. */
  int width = self->keys_ahead ? self->pane_width : gtk_widget_get_width (GTK_WIDGET (self));

  width += gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? dx : -dx;
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  loom_side_pane_set_pane_width (self, MAX (width, minimum));
  self->keys_ahead = TRUE;
}

static void
give_focus_back (LoomSidePane *self)
{
  GtkWidget *before = self->focus_before;

  set_focus_before (self, NULL);
  if (before != NULL && gtk_widget_get_mapped (before) && gtk_widget_grab_focus (before))
    return;
  if (self->child == NULL || !gtk_widget_child_focus (self->child, GTK_DIR_TAB_FORWARD))
    gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self))),
                            GTK_DIR_TAB_FORWARD);
}

static gboolean
on_handle_key_pressed (LoomSidePane    *self,
                       guint            keyval,
                       guint            keycode,
                       GdkModifierType  state)
{
  int step = (state & GDK_CONTROL_MASK) ? KEY_PAGE : KEY_STEP;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      move_handle (self, -step);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      move_handle (self, step);
      return TRUE;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      move_handle (self, gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                           ? -MAX_PANE_WIDTH : MAX_PANE_WIDTH);
      return TRUE;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      /* The widest the window leaves it: the flap narrows what does not fit. */
      loom_side_pane_set_pane_width (self, MAX_PANE_WIDTH);
      return TRUE;
    case GDK_KEY_Escape:
      loom_side_pane_set_pane_width (self, self->focus_start_width);
      give_focus_back (self);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      give_focus_back (self);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Tab passes the handle by, as GtkPaned's: into the pane's child and out again. */
static gboolean
loom_side_pane_focus (GtkWidget        *widget,
                      GtkDirectionType  direction)
{
  LoomSidePane *self = LOOM_SIDE_PANE (widget);

  if (self->child == NULL || !gtk_widget_get_visible (self->child))
    return FALSE;
  if (gtk_widget_has_focus (self->handle) &&
      (direction == GTK_DIR_TAB_BACKWARD || direction == GTK_DIR_UP ||
       direction == GTK_DIR_LEFT))
    return FALSE;
  return gtk_widget_child_focus (self->child, direction);
}

/* What the handle says to a screen reader: the pane's width, between its minimum and the
 * widest it may be. */
static void
report_width (LoomSidePane *self,
              int           width)
{
  int minimum;

  if (width == self->reported_width)
    return;
  self->reported_width = width;
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->handle),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, (double) minimum,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) MAX_PANE_WIDTH,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) width,
                                  -1);
}

/* ------------------------------------------------------------------------------------------ */

static void
loom_side_pane_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  LoomSidePane *self = LOOM_SIDE_PANE (widget);
  int handle_min = 0, handle_nat = 0;
  int child_min = 0, child_nat = 0;

  gtk_widget_measure (self->handle, orientation, -1, &handle_min, &handle_nat, NULL, NULL);
  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_measure (self->child, orientation,
                        orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0
                          ? MAX (0, for_size - handle_nat) : -1,
                        &child_min, &child_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = handle_min + child_min;
      *natural = self->pane_width > 0 ? MAX (*minimum, self->pane_width)
                                      : handle_nat + child_nat;
    }
  else
    {
      *minimum = MAX (handle_min, child_min);
      *natural = MAX (handle_nat, child_nat);
    }
}

static void
loom_side_pane_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  LoomSidePane *self = LOOM_SIDE_PANE (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int handle_width;

  gtk_widget_measure (self->handle, GTK_ORIENTATION_HORIZONTAL, -1, &handle_width, NULL, NULL,
                      NULL);
  handle_width = MIN (handle_width, width);
  gtk_widget_allocate (self->handle, handle_width, height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (rtl ? width - handle_width
                                                                                : 0, 0)));
  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_allocate (self->child, width - handle_width, height, -1,
                         gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (rtl ? 0 : handle_width,
                                                                              0)));
  self->keys_ahead = FALSE;
  report_width (self, width);
}

static void
loom_side_pane_dispose (GObject *object)
{
  LoomSidePane *self = LOOM_SIDE_PANE (object);

  set_focus_before (self, NULL);
  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_clear_pointer (&self->handle, gtk_widget_unparent);

  G_OBJECT_CLASS (loom_side_pane_parent_class)->dispose (object);
}

static void
loom_side_pane_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LoomSidePane *self = LOOM_SIDE_PANE (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    case PROP_PANE_WIDTH:
      g_value_set_int (value, self->pane_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_side_pane_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LoomSidePane *self = LOOM_SIDE_PANE (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      loom_side_pane_set_child (self, g_value_get_object (value));
      break;
    case PROP_PANE_WIDTH:
      loom_side_pane_set_pane_width (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_side_pane_class_init (LoomSidePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_side_pane_dispose;
  object_class->get_property = loom_side_pane_get_property;
  object_class->set_property = loom_side_pane_set_property;

  widget_class->measure = loom_side_pane_measure;
  widget_class->size_allocate = loom_side_pane_size_allocate;
  widget_class->focus = loom_side_pane_focus;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LoomSidePane:pane-width:
   *
   * The width the writer dragged the pane to, handle included; 0 leaves it to the child.
   */
  properties[PROP_PANE_WIDTH] =
    g_param_spec_int ("pane-width", NULL, NULL, 0, MAX_PANE_WIDTH, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "loomsidepane");
}

static void
loom_side_pane_init (LoomSidePane *self)
{
  GtkGesture *drag;

  GtkEventController *motion;
  GtkEventController *keys;

  self->handle = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
  /* Focusable, for the keys; a separator that moves is a splitter to a screen reader. The
   * name says which pane: the window gives it (loom_side_pane_get_handle ()). */
  gtk_widget_set_focusable (self->handle, TRUE);
  gtk_widget_set_parent (self->handle, GTK_WIDGET (self));
  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_handle_key_pressed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->handle, keys);

  /* On the pane, not the handle: the handle moves while it is dragged, and the pane's edge is
   * part of the grip. Captured, so that a drag there does not reach the panel's rows. */
  drag = gtk_gesture_drag_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_exclusive (GTK_GESTURE_SINGLE (drag), TRUE);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (on_drag_begin), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag_update), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}
