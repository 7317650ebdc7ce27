/* loom-chart-paint.c: what the window's charts draw alike (issues 17, 18)
 *
 * The statistics' words per day and the disclosure's shares draw their bars and labels the
 * same way: flat colours from libadwaita's palette, labels in the theme's text colour (so
 * that they follow the dark style), measured with the widget's own font.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-chart-paint"

#include "config.h"

#include "loom-chart-paint.h"

/**
 * loom_chart_text_color:
 * @alpha: how much of the text colour's opacity to keep: faint gridlines take little
 *
 * The widget's text colour, from the theme.
 */
void
loom_chart_text_color (GtkWidget *widget,
                       float      alpha,
                       GdkRGBA   *color)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (color != NULL);

  /* gtk_widget_get_color () is GTK 4.10; 4.8 has only the style context */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  color->alpha *= alpha;
}

/* @color: a colour gdk_rgba_parse () reads, such as "#3584e4" */
void
loom_chart_append_rect (GtkSnapshot *snapshot,
                        const char  *color,
                        float        x,
                        float        y,
                        float        width,
                        float        height)
{
  GdkRGBA rgba;

  if (!gdk_rgba_parse (&rgba, color))
    g_return_if_reached ();
  gtk_snapshot_append_color (snapshot, &rgba, &GRAPHENE_RECT_INIT (x, y, width, height));
}

/* @text with its top at @y and @xalign of its width at @x. */
void
loom_chart_append_text (GtkWidget     *widget,
                        GtkSnapshot   *snapshot,
                        const char    *text,
                        const GdkRGBA *color,
                        float          x,
                        float          y,
                        float          xalign)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - width * xalign, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* A label of a chart (a day, a figure of an axis), in the text colour a little faded. */
void
loom_chart_append_label (GtkWidget   *widget,
                         GtkSnapshot *snapshot,
                         const char  *text,
                         float        x,
                         float        y,
                         float        xalign)
{
  GdkRGBA color;

  loom_chart_text_color (widget, 0.7f, &color);
  loom_chart_append_text (widget, snapshot, text, &color, x, y, xalign);
}

/* Returns: @text's width in pixels in @widget's font; its height in @height if not %NULL */
int
loom_chart_text_width (GtkWidget  *widget,
                       const char *text,
                       int        *height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, height);
  return width;
}
