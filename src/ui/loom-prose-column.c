/* loom-prose-column.c: the prose in a readable column, and typewriter scrolling (issue 17)
 *
 * In a wide window the prose keeps lines of about seventy characters, centred, with the side
 * margins taking the rest. In focus mode the view also scrolls as a typewriter does: each edit
 * brings the line being written back to the middle of the view, and a bottom margin of half
 * the view lets even the last line get there.
 *
 * The margins follow the view's size, and change while the window lays itself out, as GTK
 * tells the new size: changed later, from an idle callback, they would ask for a layout
 * between the window's layout and its drawing when X11 holds the drawing back for a resize,
 * and GTK would draw the panes without a size. For the same reason the typewriter scrolls
 * from a tick callback, at the start of the next frame, after the text view's own scrolling
 * for the keystroke and before the layout that does the scroll.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-prose-column"

#include "config.h"

#include "loom-prose-column.h"

/* The column's width: about seventy characters of the prose's 13 pt serif. */
#define COLUMN_WIDTH 720
/* The margins of loom-scene-editor.ui, the least the column keeps. */
#define SIDE_MARGIN 32
#define BOTTOM_MARGIN 48

struct _LoomProseColumn
{
  GObject      parent_instance;

  GtkTextView *view;
  guint        scroll_tick;
  gboolean     typewriter;
};

G_DEFINE_FINAL_TYPE (LoomProseColumn, loom_prose_column, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TYPEWRITER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_margins (LoomProseColumn *self)
{
  GtkScrollable *scrollable = GTK_SCROLLABLE (self->view);
  int width = (int) gtk_adjustment_get_page_size (gtk_scrollable_get_hadjustment (scrollable));
  int height = (int) gtk_adjustment_get_page_size (gtk_scrollable_get_vadjustment (scrollable));
  int side = MAX (SIDE_MARGIN, (width - COLUMN_WIDTH) / 2);
  int bottom = self->typewriter ? MAX (BOTTOM_MARGIN, height / 2) : BOTTOM_MARGIN;

  if (gtk_text_view_get_left_margin (self->view) != side)
    {
      gtk_text_view_set_left_margin (self->view, side);
      gtk_text_view_set_right_margin (self->view, side);
    }
  if (gtk_text_view_get_bottom_margin (self->view) != bottom)
    gtk_text_view_set_bottom_margin (self->view, bottom);
}

static gboolean
centre_cursor (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  LoomProseColumn *self = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);

  self->scroll_tick = 0;
  /* Not yet laid out (just shown), the view would scroll by a size it does not have yet. */
  if (self->typewriter && gtk_widget_get_height (widget) > 0)
    gtk_text_view_scroll_to_mark (self->view, gtk_text_buffer_get_insert (buffer), 0, TRUE, 0,
                                  0.5);
  return G_SOURCE_REMOVE;
}

static void
queue_centre_cursor (LoomProseColumn *self)
{
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->view), centre_cursor,
                                                      self, NULL);
}

/* GTK 4.8's text view lays out the lines an edit changed when it is next drawn, unless it is
 * laid out before: then the height of the text, and so the scrollbar's adjustment, changes
 * while the window is being drawn, after the scrollbar was laid out, and GTK draws the
 * scrollbar without a size ("Trying to snapshot GtkGizmo without a current allocation", at
 * each keystroke with the scrollbar shown). A keystroke is handled at the start of a frame:
 * asking then for a layout of the view gets the lines laid out in that frame's layout, before
 * the scrollbar's. Only the writer's own edits move the view in focus mode, not a draft
 * streaming in while they read elsewhere. */
static void
on_buffer_changed (LoomProseColumn *self)
{
  if (!gtk_widget_has_focus (GTK_WIDGET (self->view)))
    return;
  gtk_widget_queue_allocate (GTK_WIDGET (self->view));
  if (self->typewriter && gtk_text_view_get_editable (self->view))
    queue_centre_cursor (self);
}

LoomProseColumn *
loom_prose_column_new (GtkTextView *view)
{
  LoomProseColumn *self;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (LOOM_TYPE_PROSE_COLUMN, NULL);
  self->view = g_object_ref (view);
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (view)),
                           "notify::page-size", G_CALLBACK (update_margins), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)),
                           "notify::page-size", G_CALLBACK (update_margins), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (view), "changed",
                           G_CALLBACK (on_buffer_changed), self, G_CONNECT_SWAPPED);
  return self;
}

gboolean
loom_prose_column_get_typewriter (LoomProseColumn *self)
{
  g_return_val_if_fail (LOOM_IS_PROSE_COLUMN (self), FALSE);
  return self->typewriter;
}

/* A typewriter moves the view at each keystroke, often into lines GTK lays out only when it
 * draws them: their height then changes the scrollbar's while the window is being drawn,
 * which the layout above cannot prevent. Focus mode needs no scrollbar anyway (the wheel and
 * the keys still scroll), so it has none. */
static void
set_scrollbar (LoomProseColumn *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self->view),
                                                 GTK_TYPE_SCROLLED_WINDOW);

  if (scroller != NULL)
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                    self->typewriter ? GTK_POLICY_EXTERNAL
                                                     : GTK_POLICY_AUTOMATIC);
}

/* On, the line with the cursor comes to the middle at once, as it will at each edit. */
void
loom_prose_column_set_typewriter (LoomProseColumn *self,
                                  gboolean         typewriter)
{
  g_return_if_fail (LOOM_IS_PROSE_COLUMN (self));

  typewriter = !!typewriter;
  if (self->typewriter == typewriter)
    return;
  self->typewriter = typewriter;
  set_scrollbar (self);
  update_margins (self);
  if (typewriter)
    queue_centre_cursor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPEWRITER]);
}

static void
loom_prose_column_dispose (GObject *object)
{
  LoomProseColumn *self = LOOM_PROSE_COLUMN (object);

  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->view), self->scroll_tick);
  self->scroll_tick = 0;
  g_clear_object (&self->view);

  G_OBJECT_CLASS (loom_prose_column_parent_class)->dispose (object);
}

static void
loom_prose_column_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LoomProseColumn *self = LOOM_PROSE_COLUMN (object);

  switch (prop_id)
    {
    case PROP_TYPEWRITER:
      g_value_set_boolean (value, self->typewriter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_prose_column_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LoomProseColumn *self = LOOM_PROSE_COLUMN (object);

  switch (prop_id)
    {
    case PROP_TYPEWRITER:
      loom_prose_column_set_typewriter (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_prose_column_class_init (LoomProseColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_prose_column_dispose;
  object_class->get_property = loom_prose_column_get_property;
  object_class->set_property = loom_prose_column_set_property;

  properties[PROP_TYPEWRITER] =
    g_param_spec_boolean ("typewriter", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_prose_column_init (LoomProseColumn *self)
{
}
